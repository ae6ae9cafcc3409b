/// The events the ledger holds that can still be repeated: per dedup key its first line, and the
/// lines that repeated the key with another body (written with `duplicate_of` and `body_differs`).
///
/// Bounded by what can still be retried, not by history (docs/ledger.md, "Duplicates and how
/// long they are remembered"): a key is kept while the job its event tells of is pending in the
/// correlation index (*pinned*), and otherwise for ``DedupWindow`` after its line's `at` (for a
/// pinned key, after the line that made its job final). Past that it is forgotten: the same
/// event again is recorded as a new line. Forgetting is logical at once (``horizon``) and
/// physical a few shards at a time (``forget(before:shards:)``), so no request waits for a sweep.
public struct RecordedEvents: Sendable {
    /// A key's first line. Its body is kept as 64 bits of its SHA-256, 8 bytes a key where the
    /// whole digest would take 24 with padding: a body that shares them with a given one is a
    /// second preimage of 64 bits (2⁶⁴ hashes), not something found within `--max-skew`.
    struct First: Sendable, Equatable {
        let seq: UInt64
        /// 0 for a line from VOD's API, which stands for any body.
        let body: UInt64
        /// The line's `at` (Unix ms), or ``pinned`` while its job is pending.
        var at: Int64

        static let pinned = Int64.max

        static func body(_ digest: DedupKey.Digest?) -> UInt64 {
            guard let digest else { return 0 }
            return digest.high == 0 ? 1 : digest.high
        }
    }

    /// A later body of a key, and when its line was written.
    struct Other: Sendable, Equatable {
        let seq: UInt64
        let at: Int64
    }

    /// Sharded: it grows with the events of a window, on the writer's thread under the lock
    /// every request takes (see ``ShardedDictionary``).
    var first = ShardedDictionary<DedupKey.Digest, First>()
    /// Later bodies of a key, by key and body: each VOD retry of one of them is recognised too.
    var others: [EventIdentity: Other] = [:]
    /// The keys pinned by each pending job, to unpin when it becomes final.
    var pinned: [CompactID: [DedupKey.Digest]] = [:]
    /// Keys whose line is older than this (Unix ms) are forgotten, unless pinned. Only moves forward.
    public private(set) var horizon = Int64.min
    /// The next shard ``forget(before:shards:)`` sweeps.
    private var cursor = 0

    public init() {}

    /// The most keys one insert can have to rehash (see ``ShardedDictionary/largestRehash``).
    public var largestRehash: Int { first.largestRehash }

    /// How an event compares with what is recorded.
    public enum Match: Equatable, Sendable {
        /// Its key and body are recorded as line `seq`: a retry.
        case same(seq: UInt64)
        /// Its key is recorded first as line `firstSeq`, with another body.
        case differs(firstSeq: UInt64)
        /// Its key is not recorded (or was forgotten).
        case new
    }

    /// The job an event tells of, as the correlation index sees it once the event's line is in.
    public struct JobLink: Sendable, Equatable {
        public let job: CompactID
        public let pending: Bool

        public init(job: CompactID, pending: Bool) {
            self.job = job
            self.pending = pending
        }
    }

    public func match(_ event: EventIdentity) -> Match {
        guard let first = first[event.key], first.at >= horizon else { return .new }
        // A body from VOD's API answer on either side: the key says it all.
        if first.body == 0 || event.body == nil || first.body == First.body(event.body) { return .same(seq: first.seq) }
        if let other = others[event], other.at >= horizon || first.at == First.pinned { return .same(seq: other.seq) }
        return .differs(firstSeq: first.seq)
    }

    /// Notes line `seq`, written at `at`: the key's first line, or another body of it. `job` is
    /// the job it tells of (nil for an event about no job the index keeps): pending, it pins the
    /// key; final, it unpins the job's keys, which then count their window from `at`.
    public mutating func insert(_ event: EventIdentity, seq: UInt64, at: Int64, job: JobLink? = nil) {
        switch match(event) {
        case .new:
            let pin = job?.pending == true
            first[event.key] = First(seq: seq, body: First.body(event.body), at: pin ? First.pinned : at)
            if pin, let job { pinned[job.job, default: []].append(event.key) }
        case .differs: others[event] = Other(seq: seq, at: at)
        case .same: break
        }
        if let job, !job.pending, let keys = pinned.removeValue(forKey: job.job) {
            for key in keys { first[key]?.at = at }
        }
    }

    /// Moves the horizon to `horizon` (at once, for every lookup) and drops forgotten keys from
    /// `shards` shards (all with nil): the writer sweeps a few per batch, start-up all of them.
    public mutating func forget(before horizon: Int64, shards: Int?) {
        self.horizon = max(self.horizon, horizon)
        let cutoff = self.horizon
        for _ in 0..<min(shards ?? first.shardCount, first.shardCount) {
            first.removeAll(inShard: cursor) { _, value in value.at < cutoff }
            cursor += 1
            guard cursor == first.shardCount else { continue }
            cursor = 0
            // Once a round: few (forged or changed bodies), and a plain dictionary. They go with
            // their key's first line (without it a body cannot be told apart), or after their own window.
            let live = first
            others = others.filter { other in
                guard let first = live[other.key.key], first.at >= cutoff else { return false }
                return other.value.at >= cutoff || first.at == First.pinned
            }
        }
    }

    /// Distinct keys held (some may be past the horizon, not yet swept).
    public var count: Int { first.count }
}

extension RecordedEvents: Equatable {
    /// The same keys, bodies, times and pins, wherever the sweep stands.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.first == rhs.first && lhs.others == rhs.others && lhs.pinned == rhs.pinned
    }
}

/// How long an event's dedup key (and a final job in the correlation index) is remembered after
/// its line: VOD retries within seconds, `reconcile` may record a poll result hours after a job
/// ended, and a late callback may follow it.
public enum DedupWindow {
    public static let defaultMilliseconds: Int64 = 24 * 3_600_000
}
