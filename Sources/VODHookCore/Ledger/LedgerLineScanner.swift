import Foundation

/// A fast reader of the fields of a ledger line, for start-up and queries over millions of
/// lines: it walks the top-level object once, reads the few members it needs and skips the rest
/// (the `event` body above all) without building them.
///
/// It is not a validator: it trusts nested values it skips to be well formed. Anything it does
/// not expect (a number where a string should be, an escape it does not know) makes it give up,
/// and ``LedgerLine/read(_:)`` falls back to the strict decoder; `ledger verify` always uses the
/// strict one.
struct LedgerLineScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The entry, or nil when this scanner cannot read the line (the caller falls back).
    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> LedgerEntry? {
        var scanner = LedgerLineScanner(line)
        return scanner.entry()
    }

    private enum Value {
        /// A string without escapes, by its byte range: text is made only for the members kept.
        case plain(Range<Int>)
        /// A string with escapes, resolved.
        case escaped(String)
        case integer(UInt64)
        case null
        case bool(Bool)
        /// An object or array, by its byte range.
        case composite(Range<Int>)
        case other
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private mutating func entry() -> LedgerEntry? {
        skipSpace()
        guard take(UInt8(ascii: "{")) else { return nil }
        var seq: UInt64?
        var at: Int64?
        var kind: LedgerKind?
        var entry = LedgerEntry(seq: 0, at: 0, kind: .event)
        var seen: UInt32 = 0  // bit n: the member `Self.member` numbers n has been met
        skipSpace()
        if take(UInt8(ascii: "}")) { return nil }
        while true {
            skipSpace()
            // Keys are matched as bytes: a line has a dozen of them, a million lines a start.
            guard let key = plainString() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipSpace()
            guard let value = value() else { return nil }
            let member = Self.member(UnsafeBufferPointer(rebasing: bytes[key]))
            if let member {
                // A repeated member (only a damaged or edited line has one): the strict decoder
                // reads the first, this reader would keep the last, so it lets the decoder judge.
                guard seen & 1 << member == 0 else { return nil }
                seen |= 1 << member
            }
            let string: String?
            switch value {
            case .plain(let range):
                // `at` is parsed from its bytes; every other string member is kept as text.
                string = member == Member.at ? nil : member.map { _ in text(range) }
            case .escaped(let resolved): string = resolved
            default: string = nil
            }
            switch (member, value) {
            case (_, .null), (nil, _):
                break  // an absent value, or a member this reader does not use
            case (Member.seq, .integer(let number)): seq = number
            case (Member.at, .plain(let range)):
                guard let millis = EventTime.milliseconds(rfc3339: UnsafeBufferPointer(rebasing: bytes[range])) else {
                    return nil
                }
                at = millis
            case (Member.at, .escaped(let text)):
                guard let millis = EventTime.milliseconds(rfc3339: text) else { return nil }
                at = millis
            case (Member.submissionSeq, .integer(let number)): entry.submissionSeq = number
            case (Member.duplicateOf, .integer(let number)): entry.duplicateOf = number
            case (Member.bodyDiffers, .bool(let flag)): entry.bodyDiffers = flag
            case (Member.intentSeq, .integer(let number)): entry.intentSeq = number
            case (Member.eventSeq, .integer(let number)): entry.eventSeq = number
            case (Member.attempt, .integer(let number)):
                guard let attempt = Int(exactly: number) else { return nil }
                entry.attempt = attempt
            case (Member.durationMs, .integer(let number)):
                guard let duration = Int64(exactly: number) else { return nil }
                entry.durationMs = duration
            case (Member.attempts, .integer(let number)):
                guard let attempts = Int(exactly: number) else { return nil }
                entry.attempts = attempts
            case (Member.error, .composite(let range)):
                // Rare (refused submissions only): the strict decoder for this small object.
                guard
                    let failure = try? JSONDecoder().decode(
                        SubmissionRecord.Failure.self, from: Data(UnsafeBufferPointer(rebasing: bytes[range])))
                else { return nil }
                entry.error = failure
            case (let member?, _):
                // A string member, or one of this reader's members with a value of the wrong
                // type: the strict decoder judges the latter.
                guard let string, Self.keep(string, member: member, in: &entry, kind: &kind) else { return nil }
            }
            skipSpace()
            if take(UInt8(ascii: ",")) { continue }
            guard take(UInt8(ascii: "}")) else { return nil }
            break
        }
        skipSpace()
        guard index == bytes.count, let seq, let at, let kind else { return nil }
        entry.seq = seq
        entry.at = at
        entry.kind = kind
        return entry
    }

    /// Stores a string member; false for a member whose value is not a string.
    private static func keep(_ text: String, member: Int, in entry: inout LedgerEntry, kind: inout LedgerKind?) -> Bool {
        switch member {
        case Member.kind: kind = LedgerKind(text)
        case Member.eventType: entry.eventType = text
        case Member.jobId: entry.jobId = text
        case Member.mediaId: entry.mediaId = text
        case Member.status: entry.status = text
        case Member.source: entry.source = text
        case Member.dedup: entry.dedupKey = DedupKey(text: text)
        case Member.type: entry.aiType = text
        case Member.outcome: entry.outcome = SubmissionRecord.Outcome(rawValue: text)
        case Member.requestId: entry.requestId = text
        case Member.chain: entry.chain = text
        case Member.resubmitOf: entry.resubmitOf = text
        case Member.handler: entry.handler = text
        case Member.result: entry.result = HandledRecord.Result(rawValue: text)
        case Member.reason: entry.reason = text
        default: return false
        }
        return true
    }

    private static let numberTail = Set(".eE+-0123456789".utf8)

    /// The members this reader reads, numbered (their value must be a string, an integer, a bool for `body_differs` or, for
    /// `error`, an object); any other key may hold anything.
    private enum Member {
        static let seq = 0, at = 1, kind = 2, eventType = 3, jobId = 4, mediaId = 5, status = 6, source = 7, dedup = 8
        static let submissionSeq = 9, type = 10, outcome = 11, requestId = 12, chain = 13, attempt = 14, resubmitOf = 15
        static let intentSeq = 16, error = 17, duplicateOf = 18, bodyDiffers = 19, handler = 20, eventSeq = 21
        static let result = 22, durationMs = 23, attempts = 24, reason = 25

        static let names: [(bytes: [UInt8], member: Int)] = [
            ("seq", seq), ("at", at), ("kind", kind), ("event_type", eventType), ("job_id", jobId), ("media_id", mediaId),
            ("status", status), ("source", source), ("dedup", dedup), ("submission_seq", submissionSeq), ("type", type),
            ("outcome", outcome), ("request_id", requestId), ("chain", chain), ("attempt", attempt),
            ("resubmit_of", resubmitOf), ("intent_seq", intentSeq), ("error", error), ("duplicate_of", duplicateOf),
            ("body_differs", bodyDiffers), ("handler", handler), ("event_seq", eventSeq), ("result", result),
            ("duration_ms", durationMs), ("attempts", attempts), ("reason", reason),
        ].map { (Array($0.0.utf8), $0.1) }

        /// The names by length: a key is compared with the few of its length only.
        static let byLength: [[(bytes: [UInt8], member: Int)]] = {
            var table = Array(repeating: [(bytes: [UInt8], member: Int)](), count: 16)
            for name in names { table[name.bytes.count].append(name) }
            return table
        }()
    }

    private static func member(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard key.count < Member.byLength.count else { return nil }
        for name in Member.byLength[key.count] where name.bytes.elementsEqual(key) { return name.member }
        return nil
    }

    private mutating func value() -> Value? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            if let range = plainString() { return .plain(range) }
            return rawString().map(Value.escaped)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let start = index
            guard skipComposite() else { return nil }
            return .composite(start..<index)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return integerOrOther()
        case UInt8(ascii: "-"):
            index += 1
            return integerOrOther().map { _ in .other }
        case UInt8(ascii: "n"):
            return literal("null") ? .null : nil
        case UInt8(ascii: "t"):
            return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"):
            return literal("false") ? .bool(false) : nil
        default:
            return nil
        }
    }

    /// A non-negative integer; a fraction or exponent makes it `.other`.
    private mutating func integerOrOther() -> Value? {
        var number: UInt64 = 0
        var digits = 0
        var overflow = false
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, o1) = number.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            number = sum
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        var plain = !overflow
        // A fraction or exponent: not one of this codec's integers.
        while index < bytes.count, Self.numberTail.contains(bytes[index]) {
            plain = false
            index += 1
        }
        return plain ? .integer(number) : .other
    }

    /// The byte range of a string without escapes; nil (and nothing read) for any other string.
    private mutating func plainString() -> Range<Int>? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        var end = index + 1
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                defer { index = end + 1 }
                return (index + 1)..<end
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            end += 1
        }
        return nil
    }

    /// A string's text, escapes resolved; nil at a malformed or unterminated string.
    private mutating func rawString() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        // The common case: no escapes, copied in one go.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            index += 1
        }
        // With escapes: the strict decoder reads the string (a rare path).
        index = start
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard end < bytes.count else { return nil }
        let literal = UnsafeBufferPointer(rebasing: bytes[(start - 1)...end])
        guard let text = try? JSONDecoder().decode(String.self, from: Data(literal)) else { return nil }
        index = end + 1
        return text
    }

    /// Skips a balanced object or array, strings included.
    private mutating func skipComposite() -> Bool {
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    index += 1
                    return true
                }
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < bytes.count else { return false }
            default:
                break
            }
            index += 1
        }
        return false
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
    }
}
