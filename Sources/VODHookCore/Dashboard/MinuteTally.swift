/// Callbacks answered per minute, accepted (200) and refused (401/403/400/408/413/503), for the
/// last ``capacity`` minutes: a fixed ring, so a flood of refusals costs no memory. Refusals
/// are never written to the ledger, so this is the only place they are counted by time.
public struct MinuteTally: Sendable, Equatable {
    /// A day of minutes: the overview's "last day" figures.
    public static let capacity = 1440

    /// Counts of one minute.
    public struct Bucket: Sendable, Equatable {
        /// Unix minute (Unix seconds / 60).
        public var minute: Int64
        public var accepted = 0
        public var refused = 0
    }

    /// The first minute counted (the server's start): earlier minutes are unknown here.
    public let startMinute: Int64
    private var buckets: [Bucket]

    public init(startMinute: Int64) {
        self.startMinute = startMinute
        buckets = Array(repeating: Bucket(minute: -1), count: Self.capacity)
    }

    public mutating func countAccepted(minute: Int64) { update(minute) { $0.accepted += 1 } }

    public mutating func countRefused(minute: Int64) { update(minute) { $0.refused += 1 } }

    /// The counts of `minute`: zero for a minute without callbacks, nil before ``startMinute`` or
    /// once the ring has moved past it.
    public func bucket(minute: Int64, now: Int64) -> Bucket? {
        guard minute >= startMinute, minute <= now, now - minute < Int64(Self.capacity) else { return nil }
        let bucket = buckets[Self.slot(minute)]
        return bucket.minute == minute ? bucket : Bucket(minute: minute)
    }

    private mutating func update(_ minute: Int64, _ change: (inout Bucket) -> Void) {
        let slot = Self.slot(minute)
        // A slot still holding a minute a day old is reused; a late count for an overwritten
        // minute (a clock step back) is dropped rather than mixed into a newer one.
        if buckets[slot].minute < minute {
            buckets[slot] = Bucket(minute: minute)
        } else if buckets[slot].minute > minute {
            return
        }
        change(&buckets[slot])
    }

    private static func slot(_ minute: Int64) -> Int {
        Int(((minute % Int64(capacity)) + Int64(capacity)) % Int64(capacity))
    }
}
