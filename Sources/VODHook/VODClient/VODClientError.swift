public import VODHookCore

/// Why a ``VODClient`` call failed, after any retries. Every description is one line and holds no
/// credential (VOD's own message is trimmed and scrubbed of them).
public enum VODClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// VOD answered with an error; the last one, if retries ran out.
    case api(VODAPIError)
    /// A `SubmitAIJob` got no answer after it was sent: a job may exist and be billed. Not retried
    /// (VOD has no idempotency token); record it and match a later callback by MediaId.
    case outcomeUnknown(String)
    /// A `SubmitAIJob` answered with a server error (VOD's `InternalError` or `ServiceUnavailable`,
    /// or any 5xx, a proxy's 502 or 504 included): the job may have been created before the error,
    /// or VOD's answer lost on the way. Not retried, as ``outcomeUnknown(_:)``; the error is kept
    /// for the record.
    case serverError(VODAPIError)
    /// No answer: the request was not sent, or (for a read-only call) retries ran out.
    case transport(String)
    /// VOD answered, but not with something this client understands. For `SubmitAIJob` with a
    /// 2xx status the job was probably created.
    case malformedResponse(String)
    /// The call was refused before sending: an empty MediaId or type list, a reserved parameter name.
    case invalidRequest(String)

    /// One line for an operator.
    public var description: String {
        switch self {
        case .api(let error): "\(error)"
        case .outcomeUnknown(let text): "outcome unknown, a job may have been created: \(text)"
        case .serverError(let error): "outcome unknown, a job may have been created: \(error)"
        case .transport(let text): "VOD API not reached: \(text)"
        case .malformedResponse(let text): "VOD API answer not understood: \(text)"
        case .invalidRequest(let text): "request not sent: \(text)"
        }
    }

    /// The VOD error, for `.api` and `.serverError`.
    public var apiError: VODAPIError? {
        switch self {
        case .api(let error), .serverError(let error): error
        case .outcomeUnknown, .transport, .malformedResponse, .invalidRequest: nil
        }
    }
}
