/// A row on the control socket (``ControlOpenJobsResponse``): every field, so the client renders
/// it exactly as a row it built from the files itself.
extension JobBook.Row: Codable {
    private enum CodingKeys: String, CodingKey {
        case jobId, mediaId, aiType, submissionSeq, submittedAt, state, outcome, requestId, otherChain, attempt, error
        case eventCount, lastEventSeq, lastEventAt, lastStatus, lastSource, firstSeq, differingBodies
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let stateName = try values.decode(String.self, forKey: .state)
        guard let state = JobState(rawValue: stateName) else {
            throw DecodingError.dataCorruptedError(forKey: .state, in: values, debugDescription: "no state \(stateName)")
        }
        self.init(
            jobId: try values.decodeIfPresent(String.self, forKey: .jobId),
            mediaId: try values.decodeIfPresent(String.self, forKey: .mediaId),
            aiType: try values.decodeIfPresent(String.self, forKey: .aiType),
            submissionSeq: try values.decodeIfPresent(UInt64.self, forKey: .submissionSeq),
            submittedAt: try values.decodeIfPresent(Int64.self, forKey: .submittedAt), state: state,
            outcome: try values.decodeIfPresent(SubmissionRecord.Outcome.self, forKey: .outcome),
            requestId: try values.decodeIfPresent(String.self, forKey: .requestId),
            otherChain: try values.decodeIfPresent(String.self, forKey: .otherChain),
            attempt: try values.decodeIfPresent(Int.self, forKey: .attempt),
            failure: try values.decodeIfPresent(SubmissionRecord.Failure.self, forKey: .error).map(FailureBox.init),
            eventCount: try values.decode(Int.self, forKey: .eventCount),
            lastEventSeq: try values.decodeIfPresent(UInt64.self, forKey: .lastEventSeq),
            lastEventAt: try values.decodeIfPresent(Int64.self, forKey: .lastEventAt),
            lastStatus: try values.decodeIfPresent(String.self, forKey: .lastStatus),
            lastSource: try values.decodeIfPresent(String.self, forKey: .lastSource),
            firstSeq: try values.decode(UInt64.self, forKey: .firstSeq),
            differingBodies: try values.decode(Int.self, forKey: .differingBodies))
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encodeIfPresent(jobId, forKey: .jobId)
        try values.encodeIfPresent(mediaId, forKey: .mediaId)
        try values.encodeIfPresent(aiType, forKey: .aiType)
        try values.encodeIfPresent(submissionSeq, forKey: .submissionSeq)
        try values.encodeIfPresent(submittedAt, forKey: .submittedAt)
        try values.encode(state.rawValue, forKey: .state)
        try values.encodeIfPresent(outcome, forKey: .outcome)
        try values.encodeIfPresent(requestId, forKey: .requestId)
        try values.encodeIfPresent(otherChain, forKey: .otherChain)
        try values.encodeIfPresent(attempt, forKey: .attempt)
        try values.encodeIfPresent(error, forKey: .error)
        try values.encode(eventCount, forKey: .eventCount)
        try values.encodeIfPresent(lastEventSeq, forKey: .lastEventSeq)
        try values.encodeIfPresent(lastEventAt, forKey: .lastEventAt)
        try values.encodeIfPresent(lastStatus, forKey: .lastStatus)
        try values.encodeIfPresent(lastSource, forKey: .lastSource)
        try values.encode(firstSeq, forKey: .firstSeq)
        try values.encode(differingBodies, forKey: .differingBodies)
    }
}
