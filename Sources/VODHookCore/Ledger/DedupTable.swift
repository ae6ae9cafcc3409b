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
        /// Kept in the table until the line it depends on is settled (``recorded(_:seq:at:job:duplicateOf:)``
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
    public mutating func recorded(
        _ event: EventIdentity, seq: UInt64, at: Int64, job: RecordedEvents.JobLink? = nil, duplicateOf: UInt64?
    ) -> (retries: [Waiting], again: [Waiting]) {
        recorded.insert(event, seq: seq, at: at, job: job)
        let retries = writing.removeValue(forKey: event) ?? []
        guard duplicateOf == nil else { return (retries, []) }
        firstWriting.removeValue(forKey: event.key)
        return (retries, heldForFirst.removeValue(forKey: event.key) ?? [])
    }

    /// Forgets what is past `horizon` at once, and sweeps `shards` shards of it from memory
    /// (see ``RecordedEvents/forget(before:shards:)``).
    public mutating func forget(before horizon: Int64, shards: Int?) {
        recorded.forget(before: horizon, shards: shards)
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
