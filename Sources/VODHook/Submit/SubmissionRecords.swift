public import VODHookCore

/// What one `SubmitAIJob` call becomes in the ledger: a `submitted` record per requested type.
public enum SubmissionRecords {
    public static func make(
        item: SubmitItem, result: Result<SubmitAIJobResponse, VODClientError>
    ) -> [SubmissionRecord] {
        records(item: item, result: result).map { record in
            guard let resubmission = item.resubmission else { return record }
            var placed = record
            placed.chain = resubmission.chain
            placed.attempt = resubmission.attempt
            placed.resubmitOf = resubmission.of
            return placed
        }
    }

    private static func records(item: SubmitItem, result: Result<SubmitAIJobResponse, VODClientError>) -> [SubmissionRecord] {
        switch result {
        case .success(let response):
            return item.types.map { type in
                guard let job = response.jobs.first(where: { $0.type == type }) else {
                    return SubmissionRecord(
                        outcome: .refused, mediaId: item.mediaId, aiType: type, aiConfig: item.aiConfig, userData: item.userData,
                        error: .init(code: nil, message: "VOD's answer lists no job of this type", requestId: response.requestId))
                }
                return SubmissionRecord(
                    outcome: .accepted, mediaId: item.mediaId, aiType: type, jobId: job.jobId, requestId: response.requestId,
                    aiConfig: item.aiConfig, userData: item.userData)
            }
        case .failure(let error):
            let (outcome, failure) = classify(error)
            return item.types.map { type in
                SubmissionRecord(
                    outcome: outcome, mediaId: item.mediaId, aiType: type, aiConfig: item.aiConfig,
                    userData: item.userData, error: failure)
            }
        }
    }

    /// Refused when VOD said no or nothing was sent; unknown when a job may exist.
    static func classify(_ error: VODClientError) -> (SubmissionRecord.Outcome, SubmissionRecord.Failure) {
        switch error {
        case .api(let api):
            (.refused, failure(api))
        case .serverError(let api):
            // A 5xx may come after the job was made: a rerun must not bill it twice.
            (.unknown, failure(api))
        case .transport, .invalidRequest:
            (.refused, .init(code: nil, message: error.description))
        case .outcomeUnknown, .malformedResponse:
            // A 2xx that could not be read probably created the job: as unknown as a lost answer.
            (.unknown, .init(code: nil, message: error.description))
        }
    }

    private static func failure(_ api: VODAPIError) -> SubmissionRecord.Failure {
        .init(code: api.code.isEmpty ? nil : api.code, message: api.message, requestId: api.requestId, httpStatus: api.httpStatus)
    }
}
