/// One readable line per ledger line, for `vodhook tail`: time, seq, kind, event or AI type,
/// JobId, MediaId, status, correlated or not; handler lines indented under their event. ANSI
/// colour only when asked (a terminal without `NO_COLOR`).
public struct TailFormatter: Sendable {
    public let colour: Bool

    public init(colour: Bool) { self.colour = colour }

    /// The status a line shows (and `--status` matches): an event's status, a submission's
    /// outcome, a handler run's result, `dead` for a dead letter.
    public static func status(of entry: LedgerEntry) -> String? {
        switch entry.kind {
        case .event: entry.status
        case .submitted: entry.outcome?.rawValue
        case .handled: entry.result?.rawValue
        case .dead: "dead"
        case .givenUp: "given_up"
        case .replay, .other: nil
        }
    }

    public func line(_ entry: LedgerEntry, underItsEvent: Bool) -> String {
        let status = Self.status(of: entry).map { paint(Self.clean($0), Self.statusColour($0)) }
        var fields: [String] = []
        switch entry.kind {
        case .event:
            fields = [
                Self.clean(entry.eventType ?? "?"), "job " + Self.clean(entry.jobId ?? "-"),
                "media " + Self.clean(entry.mediaId ?? "-"), status ?? "-",
                entry.submissionSeq != nil ? "correlated" : paint("uncorrelated", .yellow),
            ]
            if let duplicateOf = entry.duplicateOf { fields.append(paint("body differs from #\(duplicateOf)", .yellow)) }
        case .submitted:
            fields = [
                Self.clean(entry.aiType ?? "?"), "job " + Self.clean(entry.jobId ?? "-"),
                "media " + Self.clean(entry.mediaId ?? "-"), status ?? "-",
            ]
            if let attempt = entry.attempt, attempt > 1 { fields.append("attempt \(attempt)") }
            if let error = entry.error { fields.append(Self.clean(error.code ?? error.message)) }
        case .handled, .dead, .replay:
            fields = [Self.clean(entry.handler ?? "?")]
            if !underItsEvent { fields.append("event #" + (entry.eventSeq.map(String.init) ?? "?")) }
            if entry.kind == .replay, let jobId = entry.jobId { fields.append("job " + Self.clean(jobId)) }
            if let attempt = entry.attempt { fields.append("attempt \(attempt)") }
            if let attempts = entry.attempts { fields.append("after \(attempts) run(s)") }
            if let status { fields.append(status) }
            if let durationMs = entry.durationMs { fields.append("\(durationMs)ms") }
            if let reason = entry.reason { fields.append(Self.clean(reason)) }
        case .givenUp:
            fields = [
                Self.clean(entry.aiType ?? "?"), "job " + Self.clean(entry.jobId ?? "-"),
                "media " + Self.clean(entry.mediaId ?? "-"), status ?? "-",
                "chain " + Self.clean(entry.chain ?? "-") + " after \(entry.attempts ?? 0) job(s)",
            ]
        case .other:
            break
        }
        let kind = paint(Self.pad(entry.kind.description, 9), Self.kindColour(entry.kind))
        let seq = "#\(entry.seq)"
        if entry.kind.isHandlerLine, underItsEvent {
            return (["    ↳ " + seq, kind] + fields).joined(separator: "  ")
        }
        let time = paint(EventTime.rfc3339(milliseconds: entry.at), .dim)
        return ([time, seq, kind] + fields).joined(separator: "  ")
    }

    /// A line that is no ledger object, named by where it is.
    public func unreadable(file: String, line: Int) -> String {
        paint("unreadable ledger line \(Self.clean(file)):\(line)", .red)
    }

    enum Colour: String {
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case blue = "34"
        case magenta = "35"
        case cyan = "36"
    }

    func paint(_ text: String, _ colour: Colour?) -> String {
        guard self.colour, let colour else { return text }
        return "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m"
    }

    static func statusColour(_ status: String) -> Colour? {
        switch status {
        case "success", "accepted", "ok": .green
        case "fail", "failed", "refused", "dead", "given_up": .red
        case "unknown", "sending": .yellow
        default: nil
        }
    }

    static func kindColour(_ kind: LedgerKind) -> Colour? {
        switch kind {
        case .event: .cyan
        case .submitted: .blue
        case .handled, .replay: .magenta
        case .dead, .givenUp: .red
        case .other: nil
        }
    }

    /// Control characters (an escape sequence in a JobId or a reason) must not drive the terminal.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? "?" : $0 }))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
