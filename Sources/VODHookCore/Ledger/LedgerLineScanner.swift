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
        case string(String)
        case integer(UInt64)
        case null
        case bool(Bool)
        /// An object or array, by its byte range.
        case composite(Range<Int>)
        case other
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
            guard let key = rawString() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipSpace()
            guard let value = value() else { return nil }
            if let member = Self.member(key) {
                // A repeated member (only a damaged or edited line has one): the strict decoder
                // reads the first, this reader would keep the last, so it lets the decoder judge.
                guard seen & 1 << member == 0 else { return nil }
                seen |= 1 << member
            }
            switch (key, value) {
            case ("seq", .integer(let number)): seq = number
            case ("at", .string(let text)):
                guard let millis = EventTime.milliseconds(rfc3339: text) else { return nil }
                at = millis
            case ("kind", .string(let text)): kind = LedgerKind(text)
            case ("event_type", .string(let text)): entry.eventType = text
            case ("job_id", .string(let text)): entry.jobId = text
            case ("media_id", .string(let text)): entry.mediaId = text
            case ("status", .string(let text)): entry.status = text
            case ("source", .string(let text)): entry.source = text
            case ("dedup", .string(let text)): entry.dedupKey = DedupKey(text: text)
            case ("submission_seq", .integer(let number)): entry.submissionSeq = number
            case ("duplicate_of", .integer(let number)): entry.duplicateOf = number
            case ("body_differs", .bool(let flag)): entry.bodyDiffers = flag
            case ("type", .string(let text)): entry.aiType = text
            case ("outcome", .string(let text)): entry.outcome = SubmissionRecord.Outcome(rawValue: text)
            case ("request_id", .string(let text)): entry.requestId = text
            case ("chain", .string(let text)): entry.chain = text
            case ("attempt", .integer(let number)):
                guard let attempt = Int(exactly: number) else { return nil }
                entry.attempt = attempt
            case ("resubmit_of", .string(let text)): entry.resubmitOf = text
            case ("intent_seq", .integer(let number)): entry.intentSeq = number
            case ("handler", .string(let text)): entry.handler = text
            case ("event_seq", .integer(let number)): entry.eventSeq = number
            case ("result", .string(let text)): entry.result = HandledRecord.Result(rawValue: text)
            case ("duration_ms", .integer(let number)):
                guard let duration = Int64(exactly: number) else { return nil }
                entry.durationMs = duration
            case ("attempts", .integer(let number)):
                guard let attempts = Int(exactly: number) else { return nil }
                entry.attempts = attempts
            case ("reason", .string(let text)): entry.reason = text
            case ("error", .composite(let range)):
                // Rare (refused submissions only): the strict decoder for this small object.
                guard
                    let failure = try? JSONDecoder().decode(
                        SubmissionRecord.Failure.self, from: Data(UnsafeBufferPointer(rebasing: bytes[range])))
                else { return nil }
                entry.error = failure
            case (_, .null):
                break  // an absent value
            default:
                // A member this reader does not use, or one of its own with a value of the wrong
                // type: the strict decoder judges the latter.
                if Self.member(key) != nil { return nil }
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

    private static let numberTail = Set(".eE+-0123456789".utf8)

    /// The members this reader reads, numbered (their value must be a string, an integer, a bool for `body_differs` or, for
    /// `error`, an object); any other key may hold anything.
    private static func member(_ key: String) -> Int? {
        switch key {
        case "seq": 0
        case "at": 1
        case "kind": 2
        case "event_type": 3
        case "job_id": 4
        case "media_id": 5
        case "status": 6
        case "source": 7
        case "dedup": 8
        case "submission_seq": 9
        case "type": 10
        case "outcome": 11
        case "request_id": 12
        case "chain": 13
        case "attempt": 14
        case "resubmit_of": 15
        case "intent_seq": 16
        case "error": 17
        case "duplicate_of": 18
        case "body_differs": 19
        case "handler": 20
        case "event_seq": 21
        case "result": 22
        case "duration_ms": 23
        case "attempts": 24
        case "reason": 25
        default: nil
        }
    }

    private mutating func value() -> Value? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return rawString().map(Value.string)
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
