/// An accepted VOD event on its way into the ledger: what the line says about it besides
/// `seq` and `at`, which the writer assigns in file order.
public struct EventRecord: Sendable {
    /// The fields read from the body.
    public let envelope: EventEnvelope
    /// The body as received, as one line: a valid JSON document can only hold CR and LF as
    /// insignificant whitespace, so they are dropped and nothing else changes.
    public let body: [UInt8]
    /// How it arrived: `callback` (VOD POSTed it) or, later, `poll` (reconcile learnt it).
    public let source: String
    /// The retry identity (written as `dedup`).
    public let dedupKey: DedupKey
    /// The body's digest: with the key, what tells VOD's retry from another body under its key.
    public let bodyDigest: DedupKey.Digest
    /// For a body that differs from the one recorded first under its key: that line's seq
    /// (written as `duplicate_of`, with `body_differs`). Set by the writer's dedup.
    public internal(set) var duplicateOf: UInt64?
    /// Its line but for `seq`, `at` and the link to a submission, which the writer adds.
    let lineFields: LedgerLine.EventFields

    /// - Parameter body: the validated body as received.
    public init(envelope: EventEnvelope, body: [UInt8], source: String = "callback") {
        self.envelope = envelope
        self.dedupKey = DedupKey(envelope: envelope, body: body)
        self.body = Self.singleLine(body)
        bodyDigest = DedupKey.Digest(of: self.body[...])
        self.source = source
        lineFields = LedgerLine.EventFields(envelope: envelope, source: source, dedupKey: dedupKey, body: self.body)
    }

    /// What dedup compares: the key, and the body unless it came from VOD's API (trusted whole).
    public var identity: EventIdentity {
        EventIdentity(key: dedupKey.digest, body: source == Self.pollSource ? nil : bodyDigest)
    }

    /// The `source` of an event learnt from VOD's API (`ListAIJob`) rather than a callback.
    public static let pollSource = "poll"

    static func singleLine(_ body: [UInt8]) -> [UInt8] {
        guard body.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return body }
        return body.filter { $0 != 0x0A && $0 != 0x0D }
    }
}
