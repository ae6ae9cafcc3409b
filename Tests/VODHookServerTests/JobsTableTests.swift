import Foundation
import Testing
import VODHookCore

@testable import VODHookCLI

/// `vodhook jobs`' table, written as bytes, must be the text the padded-strings layout gave.
@Suite("jobs table")
struct JobsTableTests {
    /// The layout `jobs` used before rows were written as bytes: every cell a String, padded by NSString.
    static func padded(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: 6)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func rows(media: String) -> [JobBook.Row] {
        var open = OpenJobs()
        let index = CorrelationIndex()
        let hex = String(repeating: "ab", count: 16)
        var entries = [
            LedgerEntry(
                seq: 1, at: 1_700_000_000_000,
                record: .submitted(SubmissionRecord(outcome: .accepted, mediaId: hex, aiType: "AIVideoTag", jobId: hex))),
            LedgerEntry(
                seq: 2, at: 1_700_000_100_000,
                record: .submitted(SubmissionRecord(outcome: .unknown, mediaId: media, aiType: "AIMediaDNA"))),
            LedgerEntry(
                seq: 3, at: 1_700_000_200_000,
                record: .submitted(SubmissionRecord(outcome: .accepted, mediaId: "m", aiType: "AIMediaAudit", jobId: "job-3"))),
        ]
        var unsolicited = LedgerEntry(seq: 4, at: 1_700_000_300_000, kind: .event, eventType: "AIVideoTagComplete", jobId: "j4")
        unsolicited.status = "processing"
        entries.append(unsolicited)
        for entry in entries { open.absorb(entry, index: index) }
        return open.all
    }

    @Test("the rows as bytes are the padded strings' text, ASCII or not", arguments: ["plain-media", "média-ü"])
    func sameText(media: String) {
        let rows = Self.rows(media: media)
        #expect(rows.count == 4)
        let now: Int64 = 1_700_100_000_000
        let expected = Self.padded([JobsTable.header] + rows.map { JobsTable.cells($0, now: now) })
        #expect(String(decoding: JobsTable.render(rows, now: now), as: UTF8.self) == expected)
        #expect(TextTable.render([JobsTable.header] + rows.map { JobsTable.cells($0, now: now) }) == expected)
    }
}
