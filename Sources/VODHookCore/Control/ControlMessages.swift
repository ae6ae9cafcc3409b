/// What `vodhook submit` and `vodhook reconcile` send a running `vodhook serve` over its control
/// socket, so the server stays the data directory's one writer: records to append, in order.
public struct ControlAppendRequest: Sendable, Codable, Equatable {
    public var records: [ControlRecord]

    public init(records: [ControlRecord]) { self.records = records }

    /// The URI path of the append route.
    public static let path = "/v1/ledger/append"
}

/// One record on the wire.
public enum ControlRecord: Sendable, Codable, Equatable {
    case submitted(SubmissionRecord)
    /// A VOD event body (JSON text) and how it was learnt (`poll`).
    case event(source: String, body: String)
    /// Handler outcomes, for `vodhook replay` and later writers outside `serve`.
    case handled(HandledRecord)
    case dead(DeadRecord)
    /// `vodhook replay`'s lines while serve holds the data directory.
    case replay(ReplayRecord)
    case givenUp(GivenUpRecord)

    public init(_ record: LedgerRecord) {
        switch record {
        case .submitted(let submission): self = .submitted(submission)
        case .event(let event): self = .event(source: event.source, body: String(decoding: event.body, as: UTF8.self))
        case .handled(let handled): self = .handled(handled)
        case .dead(let dead): self = .dead(dead)
        case .replay(let replay): self = .replay(replay)
        case .givenUp(let givenUp): self = .givenUp(givenUp)
        }
    }

    /// The record to append: an event body is checked as a callback's would be.
    public func ledgerRecord() throws(EventRejection) -> LedgerRecord {
        switch self {
        case .submitted(let submission):
            return .submitted(submission)
        case .event(let source, let body):
            let bytes = Array(body.utf8)
            return .event(EventRecord(envelope: try EventParser.envelope(of: bytes), body: bytes, source: source))
        case .handled(let handled):
            return .handled(handled)
        case .dead(let dead):
            return .dead(dead)
        case .replay(let replay):
            return .replay(replay)
        case .givenUp(let givenUp):
            return .givenUp(givenUp)
        }
    }
}

/// The server's answer: each record's seq, in order, and whether it was already recorded.
public struct ControlAppendResponse: Sendable, Codable, Equatable {
    public struct Result: Sendable, Codable, Equatable {
        public var seq: UInt64
        public var duplicate: Bool

        public init(seq: UInt64, duplicate: Bool) {
            self.seq = seq
            self.duplicate = duplicate
        }
    }

    public var results: [Result]

    public init(results: [Result]) { self.results = results }
}
