import VODHookCore

/// `vodhook jobs`' table: columns JOB, TYPE, MEDIA, SUBMITTED, STATE, AGE, as ``TextTable`` lays
/// them out, written straight to bytes when every cell is ASCII (500 k pending rows: no string
/// made per ID, no array per row).
enum JobsTable {
    static let header = ["JOB", "TYPE", "MEDIA", "SUBMITTED", "STATE", "AGE"]

    static func render(_ rows: [JobBook.Row], now: Int64) -> [UInt8] {
        guard rows.allSatisfy({ $0.idsAreASCII && ($0.aiType.map(isASCII) ?? true) }) else {
            return Array(TextTable.render([header] + rows.map { cells($0, now: now) }).utf8)
        }
        let submitted = rows.map { $0.submittedAt.map(Self.submitted) }
        let ages = rows.map { age($0, now: now) }
        var widths = header.map(\.utf8.count)
        for (index, row) in rows.enumerated() {
            widths[0] = max(widths[0], row.idByteCount(media: false) ?? 1)
            widths[1] = max(widths[1], row.aiType?.utf8.count ?? 1)
            widths[2] = max(widths[2], row.idByteCount(media: true) ?? 1)
            widths[3] = max(widths[3], submitted[index]?.utf8.count ?? 1)
            widths[4] = max(widths[4], row.state.rawValue.utf8.count)
        }
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 1) * (widths.reduce(0, +) + 16))
        func pad(_ written: Int, _ column: Int) {
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[column] - written + 2))
        }
        func text(_ value: String?, _ column: Int) {
            let value = value ?? "-"
            out.append(contentsOf: value.utf8)
            pad(value.utf8.count, column)
        }
        for (column, title) in header.enumerated() {
            out.append(contentsOf: title.utf8)
            if column < header.count - 1 { pad(title.utf8.count, column) }
        }
        out.append(UInt8(ascii: "\n"))
        for (index, row) in rows.enumerated() {
            for media in [false, true] {
                if media { text(row.aiType, 1) }
                let start = out.count
                row.appendID(media: media, to: &out)
                if out.count == start { out.append(UInt8(ascii: "-")) }
                pad(out.count - start, media ? 2 : 0)
            }
            text(submitted[index], 3)
            text(row.state.rawValue, 4)
            out.append(contentsOf: ages[index].utf8)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// One row's cells, as strings.
    static func cells(_ row: JobBook.Row, now: Int64) -> [String] {
        [
            row.jobId ?? "-", row.aiType ?? "-", row.mediaId ?? "-", row.submittedAt.map(Self.submitted) ?? "-",
            row.state.rawValue, age(row, now: now),
        ]
    }

    private static func submitted(_ at: Int64) -> String { String(EventTime.rfc3339(milliseconds: at).prefix(19)) + "Z" }

    private static func age(_ row: JobBook.Row, now: Int64) -> String { TimeSpec.age(milliseconds: now - row.since) }

    private static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }
}
