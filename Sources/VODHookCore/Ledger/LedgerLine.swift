import Foundation

/// The ledger's line codec: one JSON object per line, keys in a fixed order.
///
/// The field names are a public interface (scripts and `jq` read them; docs/ledger.md lists
/// them): add fields, never rename or remove one.
public enum LedgerLine {
    /// The bytes of one line, newline included. `at` is Unix milliseconds (written as RFC 3339 UTC).
    ///
    /// - Parameter submissionSeq: for an event, the seq of the `submitted` line of the job it
    ///   answers (written as `correlated` and `submission_seq`); ignored for other records.
    public static func encode(seq: UInt64, at: Int64, record: LedgerRecord, submissionSeq: UInt64? = nil) -> [UInt8] {
        var line: [UInt8] = []
        append(seq: seq, at: at, record: record, submissionSeq: submissionSeq, to: &line)
        return line
    }

    /// The same line appended to `lines` (the writer's batch), without an array of its own.
    public static func append(seq: UInt64, at: Int64, record: LedgerRecord, submissionSeq: UInt64? = nil, to lines: inout [UInt8])
    {
        var taken: [UInt8] = []
        swap(&taken, &lines)  // the builder must own the only reference, or every append would copy the batch
        switch record {
        case .event(let event): lines = encode(seq: seq, at: at, event: event, submissionSeq: submissionSeq, after: consume taken)
        case .submitted(let submission): lines = encode(seq: seq, at: at, submission: submission, after: consume taken)
        case .handled(let handled): lines = encode(seq: seq, at: at, handled: handled, after: consume taken)
        case .dead(let dead): lines = encode(seq: seq, at: at, dead: dead, after: consume taken)
        case .replay(let replay): lines = encode(seq: seq, at: at, replay: replay, after: consume taken)
        case .givenUp(let givenUp): lines = encode(seq: seq, at: at, givenUp: givenUp, after: consume taken)
        }
    }

    /// The fields of an event line that do not depend on its place in the ledger, encoded when
    /// the record is made (on the request's event loop) so the writer thread, which every line
    /// waits for, only puts them together with `seq`, `at` and the link to the submission.
    struct EventFields: Sendable {
        /// `kind` to `dedup`, then `event`: each field with its leading comma.
        let bytes: [UInt8]
        /// Where `event` starts.
        let eventStart: Int

        init(envelope: EventEnvelope, source: String, dedupKey: DedupKey, body: [UInt8]) {
            var fields = LineBuilder(fragmentCapacity: body.count + 200)
            fields.field("kind", "event")
            fields.field("event_type", envelope.eventType)
            fields.field("job_id", envelope.jobId)
            fields.field("media_id", envelope.mediaId)
            fields.field("status", envelope.status)
            fields.field("source", source)
            fields.field("dedup", dedupKey.text)
            eventStart = fields.count
            fields.field("event", json: body)
            bytes = fields.finishFragment()
        }
    }

    /// `event` is always last: it is the one field of unbounded size.
    private static func encode(
        seq: UInt64, at: Int64, event record: EventRecord, submissionSeq: UInt64?, after lines: consuming [UInt8]
    ) -> [UInt8] {
        let fields = record.lineFields
        var line = LineBuilder(appendingTo: lines, capacity: fields.bytes.count + 120)
        line.field("seq", integer: seq)
        line.field("at", EventTime.rfc3339(milliseconds: at))
        line.fragment(fields.bytes[..<fields.eventStart])
        line.field("correlated", bool: submissionSeq != nil)
        line.field("submission_seq", integer: submissionSeq)
        if let duplicateOf = record.duplicateOf {
            // Only on such lines: another body under a recorded key (the body is not signed).
            line.field("duplicate_of", integer: duplicateOf)
            line.field("body_differs", bool: true)
        }
        line.fragment(fields.bytes[fields.eventStart...])
        return line.finish()
    }

    private static func encode(seq: UInt64, at: Int64, submission record: SubmissionRecord, after lines: consuming [UInt8])
        -> [UInt8]
    {
        var line = LineBuilder(
            appendingTo: lines, capacity: 512 + (record.aiConfig?.utf8.count ?? 0) + (record.userData?.utf8.count ?? 0))
        line.field("seq", integer: seq)
        line.field("at", EventTime.rfc3339(milliseconds: at))
        line.field("kind", "submitted")
        line.field("job_id", record.jobId)
        line.field("media_id", record.mediaId)
        line.field("type", record.aiType)
        line.field("outcome", record.outcome.rawValue)
        line.field("request_id", record.requestId)
        line.field("chain", record.chain)
        line.field("attempt", integer: record.attempt)
        line.field("resubmit_of", record.resubmitOf)
        line.field("intent_seq", integer: record.intentSeq)
        line.field("ai_config", record.aiConfig)
        line.field("user_data", record.userData)
        line.field("error", object: record.error.map(encode(failure:)))
        return line.finish()
    }

    private static func encode(seq: UInt64, at: Int64, handled record: HandledRecord, after lines: consuming [UInt8]) -> [UInt8] {
        encodeOutcome(
            seq: seq, at: at, kind: "handled", handler: record.handler, eventSeq: record.eventSeq, reason: record.reason,
            after: lines
        ) { line in
            line.field("attempt", integer: record.attempt)
            line.field("result", record.result.rawValue)
            line.field("duration_ms", integer: record.durationMs)
        }
    }

    private static func encode(seq: UInt64, at: Int64, dead record: DeadRecord, after lines: consuming [UInt8]) -> [UInt8] {
        encodeOutcome(
            seq: seq, at: at, kind: "dead", handler: record.handler, eventSeq: record.eventSeq, reason: record.reason,
            after: lines
        ) { line in
            line.field("attempts", integer: record.attempts)
        }
    }

    /// No `reason`: a replay is asked for, not an outcome. `job_id` keeps its meaning (the event's).
    private static func encode(seq: UInt64, at: Int64, replay record: ReplayRecord, after lines: consuming [UInt8]) -> [UInt8] {
        var line = LineBuilder(appendingTo: lines, capacity: 160 + record.handler.utf8.count + (record.jobId?.utf8.count ?? 0))
        line.field("seq", integer: seq)
        line.field("at", EventTime.rfc3339(milliseconds: at))
        line.field("kind", "replay")
        line.field("handler", record.handler)
        line.field("event_seq", integer: record.eventSeq)
        line.field("job_id", record.jobId)
        return line.finish()
    }

    private static func encode(seq: UInt64, at: Int64, givenUp record: GivenUpRecord, after lines: consuming [UInt8]) -> [UInt8] {
        var line = LineBuilder(appendingTo: lines, capacity: 300 + record.handler.utf8.count)
        line.field("seq", integer: seq)
        line.field("at", EventTime.rfc3339(milliseconds: at))
        line.field("kind", "given_up")
        line.field("handler", record.handler)
        line.field("event_seq", integer: record.eventSeq)
        line.field("job_id", record.jobId)
        line.field("media_id", record.mediaId)
        line.field("type", record.aiType)
        line.field("chain", record.chain)
        line.field("attempts", integer: record.attempts)
        return line.finish()
    }

    /// A handler outcome: `reason`, not `error`, because a submission's `error` is an object and
    /// one name keeps one type.
    private static func encodeOutcome(
        seq: UInt64, at: Int64, kind: String, handler: String, eventSeq: UInt64, reason: String?, after lines: consuming [UInt8],
        _ fields: (inout LineBuilder) -> Void
    ) -> [UInt8] {
        var line = LineBuilder(appendingTo: lines, capacity: 200 + handler.utf8.count + (reason?.utf8.count ?? 0))
        line.field("seq", integer: seq)
        line.field("at", EventTime.rfc3339(milliseconds: at))
        line.field("kind", kind)
        line.field("handler", handler)
        line.field("event_seq", integer: eventSeq)
        fields(&line)
        line.field("reason", reason)
        return line.finish()
    }

    static func encode(failure: SubmissionRecord.Failure) -> [UInt8] {
        var object = LineBuilder(capacity: 128 + failure.message.utf8.count)
        object.field("code", failure.code)
        object.field("message", failure.message)
        object.field("request_id", failure.requestId)
        object.field("http_status", integer: failure.httpStatus)
        return object.finishObject()
    }

    /// Reads the fields every reader needs from one line (without its newline).
    /// Throws `LedgerLineError` when the line is not a ledger object.
    public static func decode(_ line: some Collection<UInt8>) throws(LedgerLineError) -> LedgerEntry {
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: Data(line))
        } catch {
            throw .notJSON
        }
        guard let seq = fields.seq else { throw .missingField("seq") }
        guard let kind = fields.kind else { throw .missingField("kind") }
        guard let atText = fields.at, let at = EventTime.milliseconds(rfc3339: atText) else { throw .missingField("at") }
        var entry = LedgerEntry(
            seq: seq, at: at, kind: LedgerKind(kind), eventType: fields.event_type, jobId: fields.job_id,
            mediaId: fields.media_id, status: fields.status, source: fields.source,
            dedupKey: fields.dedup.map(DedupKey.init(text:)))
        entry.aiType = fields.type
        entry.outcome = fields.outcome.flatMap(SubmissionRecord.Outcome.init(rawValue:))
        entry.requestId = fields.request_id
        entry.chain = fields.chain
        entry.attempt = fields.attempt
        entry.resubmitOf = fields.resubmit_of
        entry.intentSeq = fields.intent_seq
        entry.error = fields.error
        entry.submissionSeq = fields.submission_seq
        entry.duplicateOf = fields.duplicate_of
        entry.bodyDiffers = fields.body_differs ?? false
        entry.handler = fields.handler
        entry.eventSeq = fields.event_seq
        entry.result = fields.result.flatMap(HandledRecord.Result.init(rawValue:))
        entry.durationMs = fields.duration_ms
        entry.attempts = fields.attempts
        entry.reason = fields.reason
        return entry
    }

    /// A `submitted` line as its whole record, `ai_config` and `user_data` included (which
    /// ``decode(_:)`` leaves out: readers of every line do not need them).
    public static func submission(_ line: some Collection<UInt8>) throws(LedgerLineError) -> SubmissionRecord {
        do {
            return try JSONDecoder().decode(SubmissionRecord.self, from: Data(line))
        } catch {
            throw .notJSON
        }
    }

    /// Reads a line as ``decode(_:)`` does, several times faster on lines this codec wrote: the
    /// fast scanner first, the strict decoder when the scanner cannot tell. For start-up and
    /// queries over every line; `ledger verify` uses the strict ``decode(_:)``.
    public static func read(_ line: ArraySlice<UInt8>) throws(LedgerLineError) -> LedgerEntry {
        if let entry = line.withUnsafeBufferPointer(LedgerLineScanner.scan) { return entry }
        return try decode(line)
    }

    /// The bytes of an event line's `event` member (the body as received), found without
    /// decoding: the writer puts it last, after members that are all strings, numbers, booleans
    /// or null, so its key is the first `,"event":` outside a string. Nil if there is none. What
    /// dedup hashes at start-up and what handlers are given, without decoding and re-encoding.
    public static func eventBody(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let key = Self.eventKey
        var index = line.startIndex
        var inString = false
        while index < line.endIndex {
            let byte = line[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: ","), line[index...].starts(with: key) {
                var end = line.endIndex
                while end > index, line[end - 1] != UInt8(ascii: "}") { end -= 1 }
                let start = index + key.count
                guard end - 1 > start else { return nil }
                let body = line[start..<(end - 1)]
                // Only an object is a body: anything else is not a line this codec wrote.
                return body.first == UInt8(ascii: "{") && body.last == UInt8(ascii: "}") ? body : nil
            }
            index += 1
        }
        return nil
    }

    private static let eventKey = Array(#","event":"#.utf8)

    /// The `seq` at the start of a line, if the line starts as this codec writes it; used to keep
    /// the sequence moving past a torn line that cannot be decoded.
    public static func leadingSeq(_ line: some Collection<UInt8>) -> UInt64? {
        // Called on every line a start from a checkpoint passes over: contiguous bytes (every
        // caller's) are read in place, not through a generic `starts(with:)` and a new array.
        switch line.withContiguousStorageIfAvailable(leadingSeq(in:)) {
        case .some(let seq): seq
        case .none: Array(line.prefix(32)).withUnsafeBufferPointer(leadingSeq(in:))
        }
    }

    private static let seqPrefix: [UInt8] = Array("{\"seq\":".utf8)

    private static func leadingSeq(in line: UnsafeBufferPointer<UInt8>) -> UInt64? {
        let prefix = seqPrefix
        guard line.count > prefix.count else { return nil }
        for index in 0..<prefix.count where line[index] != prefix[index] { return nil }
        var value: UInt64 = 0
        var digits = 0
        for byte in line[prefix.count...] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // Snake case on purpose: these are the ledger's public field names.
    private struct Fields: Decodable {
        var seq: UInt64?
        var at: String?
        var kind: String?
        var event_type: String?
        var job_id: String?
        var media_id: String?
        var status: String?
        var source: String?
        var dedup: String?
        var submission_seq: UInt64?
        var duplicate_of: UInt64?
        var body_differs: Bool?
        var type: String?
        var outcome: String?
        var request_id: String?
        var chain: String?
        var attempt: Int?
        var resubmit_of: String?
        var intent_seq: UInt64?
        var error: SubmissionRecord.Failure?
        var handler: String?
        var event_seq: UInt64?
        var result: String?
        var duration_ms: Int64?
        var attempts: Int?
        var reason: String?
    }
}

/// Why a ledger line could not be read.
public enum LedgerLineError: Error, Equatable, Sendable, CustomStringConvertible {
    case notJSON
    case missingField(String)

    public var description: String {
        switch self {
        case .notJSON: "not a JSON object"
        case .missingField(let name): "missing or invalid \"\(name)\""
        }
    }
}
