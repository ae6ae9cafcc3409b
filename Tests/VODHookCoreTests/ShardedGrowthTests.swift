import Testing
import VODHookCore

/// The sets that grow with every event must never rehash all of themselves in one insert: that
/// insert runs on the ledger writer's thread, and every request waits behind it.
@Suite("Sharded growth")
struct ShardedGrowthTests {
    static let count = 100_000

    /// JobIds as bench/ingest makes them: hex digits that are all decimal, a counter in the low end.
    static func jobId(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: 32 - digits.count) + digits
    }

    static func digest(_ number: Int) -> DedupKey.Digest {
        DedupKey(text: "AIVideoTagComplete|\(jobId(number))|success").digest
    }

    @Test("no insert into the dedup set rehashes more than 1% of it")
    func dedupGrowth() {
        var recorded = RecordedEvents()
        for number in 0..<Self.count {
            recorded.insert(EventIdentity(key: Self.digest(number), body: nil), seq: UInt64(number + 1), at: 0)
        }
        #expect(recorded.count == Self.count)
        #expect(recorded.largestRehash <= Self.count / 100)
        #expect(recorded.match(EventIdentity(key: Self.digest(77), body: nil)) == .same(seq: 78))
    }

    @Test("no insert into the correlation index rehashes more than 1% of it")
    func indexGrowth() {
        var index = CorrelationIndex()
        for number in 0..<Self.count {
            index.absorb(Lines.submitted(UInt64(number + 1), job: Self.jobId(number), media: Self.jobId(number)))
        }
        #expect(index.count == Self.count)
        #expect(index.largestRehash <= Self.count / 100)
        #expect(index[Self.jobId(4242)]?.submissionSeq == 4243)
    }

    @Test("a sharded dictionary holds what a plain one holds; one shard is a plain one")
    func sameContents() {
        var sharded = ShardedDictionary<CompactID, Int>()
        var plain = ShardedDictionary<CompactID, Int>(shardCountLog2: 0)
        var reference: [CompactID: Int] = [:]
        for number in 0..<5_000 {
            let key = CompactID(Self.jobId(number % 3_000))
            sharded[key] = number
            plain[key] = number
            reference[key] = number
            if number % 7 == 0 {
                let gone = CompactID(Self.jobId(number / 2))
                sharded[gone] = nil
                plain[gone] = nil
                reference[gone] = nil
            }
        }
        for dictionary in [sharded, plain] {
            #expect(dictionary.count == reference.count)
            var seen: [CompactID: Int] = [:]
            dictionary.forEachEntry { seen[$0] = $1 }
            #expect(seen == reference)
        }
        #expect(plain.largestRehash >= reference.count)
        #expect(sharded.largestRehash < reference.count / 10)
    }
}
