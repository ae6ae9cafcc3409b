// bench/rehash.swift: how long the one insert that grows a dictionary stalls, for a plain Swift
// Dictionary (1 shard) and for ShardedDictionary's split (2^bits shards), with the dedup set's
// entry (a 128-bit key, two 64-bit values) and random keys. Figures only.
//
//   swiftc -O bench/rehash.swift -o /tmp/rehash
//   /tmp/rehash 1600000 0     # one plain dictionary
//   /tmp/rehash 1600000 10    # 1,024 shards, as the dedup set and the correlation index
//
// "worst growing insert" is the longest single insert among those that grew a table (a time
// slice lost to another process can add to it on a busy machine).
import Glibc
import Dispatch
struct Key: Hashable { let high: UInt64; let low: UInt64 }
struct First { let seq: UInt64; let body: UInt64 }
var rng = SystemRandomNumberGenerator()
let bits = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 10 : 10
var shards = [[Key: First]](repeating: [:], count: 1 << bits)
let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 3_200_000 : 3_200_000
var worst = 0.0
let start = DispatchTime.now().uptimeNanoseconds
for i in 0..<n {
    let k = Key(high: rng.next(), low: rng.next())
    let s = Int(truncatingIfNeeded: ((k.high ^ k.low) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
    let t0 = DispatchTime.now().uptimeNanoseconds
    let cap = shards[s].capacity
    shards[s][k] = First(seq: UInt64(i), body: 1)
    let t1 = DispatchTime.now().uptimeNanoseconds
    if shards[s].capacity != cap { worst = max(worst, Double(t1 - t0) / 1e6) }
}
let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
print("\(1 << bits) shards, \(n) inserts: worst growing insert \((worst * 100).rounded() / 100) ms, total \((total * 100).rounded() / 100) s")
