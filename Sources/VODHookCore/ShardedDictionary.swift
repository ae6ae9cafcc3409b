/// A key whose own bits are already spread (a digest, or a 128-bit ID): it picks its shard
/// without a second hash.
public protocol ShardKey: Hashable, Sendable {
    var shardBits: UInt64 { get }
}

extension DedupKey.Digest: ShardKey {
    public var shardBits: UInt64 { high ^ low }
}

extension CompactID: ShardKey {
    public var shardBits: UInt64 { high ^ low }
}

/// A dictionary split into many small ones by key, for sets that grow for as long as the server
/// runs (the dedup keys, the correlation index).
///
/// A Swift `Dictionary` grows by rehashing every entry into a table twice the size, in the one
/// insert that crosses its load factor: at 786 k entries that insert took 0.4–0.7 s here, on the
/// ledger writer's thread, with every request waiting behind it (the 74–234 ms p99 outliers
/// measured in bench/ingest). Split 1,024 ways, the insert that grows a shard rehashes about a
/// thousandth of the entries: about 0.1 ms at a million. Same memory (every shard keeps the
/// same load factor), same lookups plus one multiply.
public struct ShardedDictionary<Key: ShardKey, Value: Sendable>: Sendable {
    private var shards: [[Key: Value]]
    private let shift: UInt64
    public private(set) var count = 0

    /// `shardCountLog2` is log2 of the number of shards (tests use 0, one plain dictionary, to
    /// show what sharding changes).
    public init(shardCountLog2: Int = 10) {
        precondition((0...16).contains(shardCountLog2), "1 to 65,536 shards")
        shards = Array(repeating: [:], count: 1 << shardCountLog2)
        shift = UInt64(64 - shardCountLog2)
    }

    @inline(__always)
    private func shard(of key: Key) -> Int {
        // Fibonacci hashing: the top bits of the product depend on every bit of the key's.
        shift == 64 ? 0 : Int(truncatingIfNeeded: (key.shardBits &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    public subscript(key: Key) -> Value? {
        get { shards[shard(of: key)][key] }
        set {
            let index = shard(of: key)
            if let newValue {
                if shards[index].updateValue(newValue, forKey: key) == nil { count += 1 }
            } else if shards[index].removeValue(forKey: key) != nil {
                count -= 1
            }
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// The most entries one insert can have to move: the capacity of the largest shard. A plain
    /// dictionary's is its whole capacity.
    public var largestRehash: Int { shards.lazy.map(\.capacity).max() ?? 0 }

    public var shardCount: Int { shards.count }

    /// Removes the entries of shard `index` that `shouldRemove` picks: eviction walks a few
    /// shards at a time, so no single call holds the writer for the whole table.
    public mutating func removeAll(inShard index: Int, where shouldRemove: (Key, Value) -> Bool) {
        guard shards[index].contains(where: { shouldRemove($0.key, $0.value) }) else { return }
        let before = shards[index].count
        // A new, smaller table: a shard that held a burst gives its memory back.
        shards[index] = shards[index].filter { !shouldRemove($0.key, $0.value) }
        count -= before - shards[index].count
    }

    /// Every entry, shard by shard (no order to rely on).
    public func forEachEntry(_ body: (Key, Value) throws -> Void) rethrows {
        for shard in shards {
            for (key, value) in shard { try body(key, value) }
        }
    }
}

extension ShardedDictionary: Equatable where Value: Equatable {
    /// The same entries, however they are spread over shards.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var same = true
        lhs.forEachEntry { key, value in if same, rhs[key] != value { same = false } }
        return same
    }
}
