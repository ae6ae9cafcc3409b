public import VODHookCore

/// Sends one signed VOD API call and returns the raw answer: the seam between the client's logic
/// (signing, retries, decoding) and the network, so tests can put a failing fake in its place.
public protocol VODTransport: Sendable {
    /// Sends `request` exactly as signed (the query unchanged, the signed headers as given) and
    /// returns the status and body of any answer, error statuses included.
    ///
    /// Throws ``VODTransportError`` when no answer came, saying whether the request may have
    /// reached VOD; any other error is taken as ``VODTransportError/outcomeUnknown(_:)``.
    func send(_ request: SignedRequest, timeout: Duration) async throws -> (status: Int, body: [UInt8])
}

/// Why a transport got no answer, split by what matters for a call with side effects.
public enum VODTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request never left: bad URL, DNS, connection refused, connect or TLS timeout.
    /// Any call may be retried.
    case notSent(String)
    /// The request may have reached VOD (a timeout or a dropped connection after sending):
    /// a `SubmitAIJob` may have created a job.
    case outcomeUnknown(String)

    /// The reason, on one line.
    public var description: String {
        switch self {
        case .notSent(let reason): "not sent: \(reason)"
        case .outcomeUnknown(let reason): "no answer: \(reason)"
        }
    }
}
