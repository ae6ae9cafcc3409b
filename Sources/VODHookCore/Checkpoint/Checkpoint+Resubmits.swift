extension ResubmitBook: CheckpointPayload {
    /// Section 6: each re-submitted job with its call's outcome, then each given-up job; sorted,
    /// so the same book always gives the same bytes.
    func writePayload(into out: inout some CheckpointOutput) {
        out.u64(UInt64(resubmitted.count))
        for (jobId, outcome) in resubmitted.sorted(by: { $0.key < $1.key }) {
            out.string(jobId)
            out.string(outcome.rawValue)
        }
        out.u64(UInt64(givenUp.count))
        for jobId in givenUp.sorted() { out.string(jobId) }
    }

    init(checkpoint reader: inout CheckpointReader) throws(CheckpointError) {
        self.init()
        for _ in 0..<(try reader.u64()) {
            let jobId = try reader.string()
            let text = try reader.string()
            guard let outcome = SubmissionRecord.Outcome(rawValue: text) else { throw .corrupt("submission outcome \(text)") }
            resubmitted[jobId] = outcome
        }
        for _ in 0..<(try reader.u64()) { givenUp.insert(try reader.string()) }
    }
}
