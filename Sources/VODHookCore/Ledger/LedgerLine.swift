import Foundation

/// The ledger's line codec: one JSON object per line, keys in a fixed order, `event` last.
///
/// The field names are a public interface (scripts and `jq` read them; docs/ledger.md lists
/// them): add fields, never rename or remove one.
public enum LedgerLine {
    /// The bytes of one line, newline included. `at` is Unix milliseconds (written as RFC 3339 UTC).
    public static func encode(seq: UInt64, at: Int64, record: LedgerRecord) -> [UInt8] {
        switch record {
        case .event(let event): encode(seq: seq, at: at, event: event)
        }
    }

    static func encode(seq: UInt64, at: Int64, event record: EventRecord) -> [UInt8] {
        var line = LineBuilder(capacity: record.body.count + 256)
        line.field("seq", integer: seq)
        line.field("at", EventTime.rfc3339(milliseconds: at))
        line.field("kind", "event")
        line.field("event_type", record.envelope.eventType)
        line.field("job_id", record.envelope.jobId)
        line.field("media_id", record.envelope.mediaId)
        line.field("status", record.envelope.status)
        line.field("source", record.source)
        line.field("dedup", record.dedupKey.text)
        line.field("event", json: record.body)
        return line.finish()
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
        return LedgerEntry(
            seq: seq, at: at, kind: LedgerKind(kind), eventType: fields.event_type, jobId: fields.job_id,
            mediaId: fields.media_id, status: fields.status, source: fields.source,
            dedupKey: fields.dedup.map(DedupKey.init(text:)))
    }

    /// The `seq` at the start of a line, if the line starts as this codec writes it; used to keep
    /// the sequence moving past a torn line that cannot be decoded.
    public static func leadingSeq(_ line: some Collection<UInt8>) -> UInt64? {
        let prefix = Array("{\"seq\":".utf8)
        guard line.starts(with: prefix) else { return nil }
        var value: UInt64 = 0
        var digits = 0
        for byte in line.dropFirst(prefix.count) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = times + UInt64(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }

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

/// What a reader learns from one ledger line.
public struct LedgerEntry: Sendable, Equatable {
    public var seq: UInt64
    /// Unix milliseconds.
    public var at: Int64
    public var kind: LedgerKind
    public var eventType: String?
    public var jobId: String?
    public var mediaId: String?
    public var status: String?
    public var source: String?
    public var dedupKey: DedupKey?

    public init(
        seq: UInt64, at: Int64, kind: LedgerKind, eventType: String? = nil, jobId: String? = nil,
        mediaId: String? = nil, status: String? = nil, source: String? = nil, dedupKey: DedupKey? = nil
    ) {
        self.seq = seq
        self.at = at
        self.kind = kind
        self.eventType = eventType
        self.jobId = jobId
        self.mediaId = mediaId
        self.status = status
        self.source = source
        self.dedupKey = dedupKey
    }
}
