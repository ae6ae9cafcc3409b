/// What the job index finds a ledger line by: every line `vodhook job` shows is reachable from a
/// JobId through these keys (docs/ledger.md, "The job index").
public enum JobIndexKey: Hashable, Sendable {
    /// `job_id`: a job's submission, events, replays, `given_up`.
    case job(String)
    /// `chain`, on a re-submission's `submitted` line (not the chain's first job, found by `job`).
    case chain(String)
    /// `event_seq`: the handler lines (`handled`, `dead`, `replay`) of one event.
    case eventSeq(UInt64)
    /// A `submitted` line with no JobId (`sending`, `unknown`, `refused`), by its own seq: the
    /// lines of a job link to it by `intent_seq` or `submission_seq`.
    case unanswered(UInt64)

    /// The keys the line of `entry` is found by.
    public static func keys(of entry: LedgerEntry) -> [JobIndexKey] {
        var keys: [JobIndexKey] = []
        if let id = entry.jobId { keys.append(.job(id)) }
        if let chain = entry.chain, chain != entry.jobId { keys.append(.chain(chain)) }
        if entry.kind.isHandlerLine, let seq = entry.eventSeq { keys.append(.eventSeq(seq)) }
        if entry.kind == .submitted, entry.jobId == nil { keys.append(.unanswered(entry.seq)) }
        return keys
    }

    /// A stable 64-bit hash (FNV-1a, then a finaliser so the top bits, which pick the bucket, are
    /// mixed): the index stores hashes only, and a reader checks each line it finds, so a
    /// collision costs one line read, never a wrong answer.
    public var hash: UInt64 {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        func mix(_ number: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) { mix(UInt8(truncatingIfNeeded: number >> shift)) }
        }
        switch self {
        case .job(let id):
            mix(UInt8(ascii: "j"))
            for byte in id.utf8 { mix(byte) }
        case .chain(let id):
            mix(UInt8(ascii: "c"))
            for byte in id.utf8 { mix(byte) }
        case .eventSeq(let seq):
            mix(UInt8(ascii: "e"))
            mix(seq)
        case .unanswered(let seq):
            mix(UInt8(ascii: "u"))
            mix(seq)
        }
        value ^= value >> 33
        value = value &* 0xFF51_AFD7_ED55_8CCD
        value ^= value >> 33
        value = value &* 0xC4CE_B9FE_1A85_EC53
        value ^= value >> 33
        return value
    }
}
