/// An event as dedup sees it: its retry identity (``DedupKey``) and what its body was.
///
/// VOD signs `URL|timestamp|key`, never the body, so a key alone cannot tell VOD's retry from a
/// forged body posted under the same key: only the same key *with the same body* is a retry.
public struct EventIdentity: Hashable, Sendable {
    public let key: DedupKey.Digest
    /// The recorded body's digest; nil for an event learnt from VOD's API (`source` `poll`),
    /// which vodhook wrote itself from a signed answer: it stands for the key whatever the body.
    public let body: DedupKey.Digest?

    public init(key: DedupKey.Digest, body: DedupKey.Digest?) {
        self.key = key
        self.body = body
    }
}

/// The events the ledger holds: per dedup key its first line, and the lines that repeated the
/// key with another body (written with `duplicate_of` and `body_differs`).
public struct RecordedEvents: Sendable, Equatable {
    /// A key's first line. Its body is kept as 64 bits of its SHA-256, 8 bytes a key where the
    /// whole digest would take 24 with padding: a body that shares them with a given one is a
    /// second preimage of 64 bits (2⁶⁴ hashes), not something found within `--max-skew`.
    struct First: Sendable, Equatable {
        let seq: UInt64
        /// 0 for a line from VOD's API, which stands for any body.
        let body: UInt64

        static func body(_ digest: DedupKey.Digest?) -> UInt64 {
            guard let digest else { return 0 }
            return digest.high == 0 ? 1 : digest.high
        }
    }

    /// Sharded: it grows for as long as the server runs, on the writer's thread under the lock
    /// every request takes (see ``ShardedDictionary``).
    var first = ShardedDictionary<DedupKey.Digest, First>()
    /// Later bodies of a key, by key and body: each VOD retry of one of them is recognised too.
    var others: [EventIdentity: UInt64] = [:]

    public init() {}

    /// The most keys one insert can have to rehash (see ``ShardedDictionary/largestRehash``).
    public var largestRehash: Int { first.largestRehash }

    /// How an event compares with what is recorded.
    public enum Match: Equatable, Sendable {
        /// Its key and body are recorded as line `seq`: a retry.
        case same(seq: UInt64)
        /// Its key is recorded first as line `firstSeq`, with another body.
        case differs(firstSeq: UInt64)
        /// Its key is not recorded.
        case new
    }

    public func match(_ event: EventIdentity) -> Match {
        guard let first = first[event.key] else { return .new }
        // A body from VOD's API answer on either side: the key says it all.
        if first.body == 0 || event.body == nil || first.body == First.body(event.body) { return .same(seq: first.seq) }
        if let seq = others[event] { return .same(seq: seq) }
        return .differs(firstSeq: first.seq)
    }

    /// Notes line `seq`: the key's first line, or another body of it.
    public mutating func insert(_ event: EventIdentity, seq: UInt64) {
        switch match(event) {
        case .new: first[event.key] = First(seq: seq, body: First.body(event.body))
        case .differs: others[event] = seq
        case .same: break
        }
    }

    /// Distinct keys recorded.
    public var count: Int { first.count }
}

/// The dedup decision for events on their way into the ledger: what is recorded, plus the lines
/// being written, so a retry that arrives meanwhile shares the first one's outcome.
///
/// `Waiting` is what the writer holds for an event it cannot settle yet (its completion, and
/// the record itself for those to decide again). Pure: the writer keeps it under its lock.
public struct DedupTable<Waiting> {
    public private(set) var recorded: RecordedEvents
    /// Lines being written, with the retries of each waiting for its outcome.
    private var writing: [EventIdentity: [Waiting]] = [:]
    /// Keys whose first line is being written, with its body.
    private var firstWriting: [DedupKey.Digest: DedupKey.Digest?] = [:]
    /// Events with another body than a first line being written: decided once it is settled,
    /// since `duplicate_of` must name its seq (and if it fails, one of them becomes the first).
    private var heldForFirst: [DedupKey.Digest: [Waiting]] = [:]

    public init(recorded: RecordedEvents = RecordedEvents()) {
        self.recorded = recorded
    }

    public enum Decision: Equatable, Sendable {
        /// The same event (same key, same body) is recorded as line `seq`: write nothing.
        case duplicate(seq: UInt64)
        /// Write it. `duplicateOf` is the seq of the key's first line when the body differs
        /// from every recorded one: the line is flagged, never dropped.
        case write(duplicateOf: UInt64?)
        /// Kept in the table until the line it depends on is settled (``recorded(_:seq:duplicateOf:)``
        /// or ``failed(_:duplicateOf:)`` hands it back).
        case held
    }

    /// Decides for one event; on ``Decision/write(duplicateOf:)`` the caller must settle it later.
    public mutating func admit(_ event: EventIdentity, _ waiting: Waiting) -> Decision {
        switch recorded.match(event) {
        case .same(let seq):
            return .duplicate(seq: seq)
        case .differs(let firstSeq):
            if writing[event] != nil {
                writing[event]?.append(waiting)
                return .held
            }
            writing[event] = []
            return .write(duplicateOf: firstSeq)
        case .new:
            if let body = firstWriting[event.key] {
                if body == nil || event.body == nil || body == event.body {
                    writing[EventIdentity(key: event.key, body: body), default: []].append(waiting)
                } else {
                    heldForFirst[event.key, default: []].append(waiting)
                }
                return .held
            }
            firstWriting.updateValue(event.body, forKey: event.key)
            writing[event] = []
            return .write(duplicateOf: nil)
        }
    }

    /// A line is durable: returns the retries that wait for it (each a duplicate of `seq`) and
    /// the events to admit again (other bodies held for the key's first line).
    public mutating func recorded(_ event: EventIdentity, seq: UInt64, duplicateOf: UInt64?) -> (retries: [Waiting], again: [Waiting]) {
        recorded.insert(event, seq: seq)
        let retries = writing.removeValue(forKey: event) ?? []
        guard duplicateOf == nil else { return (retries, []) }
        firstWriting.removeValue(forKey: event.key)
        return (retries, heldForFirst.removeValue(forKey: event.key) ?? [])
    }

    /// A line failed: returns everything that waited on it, to fail too (VOD sends them again).
    public mutating func failed(_ event: EventIdentity, duplicateOf: UInt64?) -> [Waiting] {
        var waiting = writing.removeValue(forKey: event) ?? []
        if duplicateOf == nil {
            firstWriting.removeValue(forKey: event.key)
            waiting += heldForFirst.removeValue(forKey: event.key) ?? []
        }
        return waiting
    }
}
