public import VODHookCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A small client for the VOD API (`2017-03-21`): `SubmitAIJob` and `ListAIJob`, signed in the
/// chosen style, each call under a timeout, retried with jittered, bounded backoff when that is safe.
///
/// Each attempt is signed afresh (new nonce, current time), so a retry is never a replay.
/// `SubmitAIJob` is not idempotent (VOD has no token for it): it is retried only when VOD said it
/// did nothing (throttling) or the request never left. A 5xx (VOD's or a proxy's) may come after
/// the job was made, and is ``VODClientError/serverError(_:)``; a timeout after sending is
/// ``VODClientError/outcomeUnknown(_:)`` (docs/vod.md §3.4). `ListAIJob`, a read, is retried on both.
public struct VODClient: Sendable {
    /// VOD's limit of job IDs per `ListAIJob` call.
    public static let maxJobIdsPerList = 10

    /// Where calls go.
    public let endpoint: VODEndpoint
    /// How calls are signed.
    public let style: SigningStyle
    /// The retry policy (its `maxAttempts` is the client's).
    public let backoff: Backoff
    /// The limit on each attempt.
    public let timeout: Duration

    private let credentials: ACSCredentials
    private let transport: any VODTransport
    private let now: @Sendable () -> Int64
    private let nonce: @Sendable () -> String
    private let sleep: @Sendable (Duration) async throws -> Void
    private let random: @Sendable (ClosedRange<Int64>) -> Int64

    /// Creates a client. The defaults are production's; tests replace the seams.
    ///
    /// - Parameters:
    ///   - transport: sends the signed requests; the caller owns any HTTP client behind it.
    ///   - now: epoch seconds for the signed timestamp.
    ///   - nonce: a unique value per attempt (a UUID by default).
    ///   - maxAttempts: calls in all per operation (per chunk of a list), the first included.
    ///   - timeout: the limit on each attempt, answer included.
    ///   - sleep: waits between attempts.
    ///   - random: the backoff's jitter source; returns a value in the range.
    public init(
        endpoint: VODEndpoint, credentials: ACSCredentials, style: SigningStyle = .v3,
        transport: any VODTransport,
        now: @escaping @Sendable () -> Int64 = WallClock.seconds,
        nonce: @escaping @Sendable () -> String = VODClient.randomNonce,
        maxAttempts: Int = Backoff.standard.maxAttempts, timeout: Duration = .seconds(10),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable (ClosedRange<Int64>) -> Int64 = { Int64.random(in: $0) }
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.style = style
        self.transport = transport
        self.now = now
        self.nonce = nonce
        self.backoff = Backoff(base: Backoff.standard.base, cap: Backoff.standard.cap, maxAttempts: maxAttempts)
        self.timeout = timeout
        self.sleep = sleep
        self.random = random
    }

    /// A new random UUID, the default nonce: unique per attempt, as VOD requires.
    @Sendable public static func randomNonce() -> String { UUID().uuidString }

    /// Submits AI jobs for one media: one job per type (`AIVideoTag`, `AIMediaDNA`).
    ///
    /// - Parameters:
    ///   - config: the `Config` JSON string, sent as given.
    ///   - userData: the `UserData` JSON string (`Extend`, `MessageCallback`), sent as given.
    /// - Throws: ``VODClientError/outcomeUnknown(_:)`` when the request may have arrived but no
    ///   answer came, ``VODClientError/serverError(_:)`` when a 5xx came: the caller must record
    ///   that a job may exist.
    public func submitAIJob(
        mediaId: String, types: [String], config: String? = nil,
        userData: String? = nil
    ) async throws(VODClientError) -> SubmitAIJobResponse {
        guard !mediaId.isEmpty else { throw .invalidRequest("MediaId is empty") }
        let kept = types.filter { !$0.isEmpty }
        guard !kept.isEmpty else { throw .invalidRequest("no AI type given") }
        var parameters = [
            ACSQueryItem(name: "MediaId", value: mediaId),
            ACSQueryItem(name: "Types", value: kept.joined(separator: ",")),
        ]
        if let config { parameters.append(ACSQueryItem(name: "Config", value: config)) }
        if let userData { parameters.append(ACSQueryItem(name: "UserData", value: userData)) }
        let body = try await call(action: "SubmitAIJob", parameters: parameters, mayRepeat: false)
        do {
            return try SubmitAIJobResponse.decode(body)
        } catch {
            throw .malformedResponse("SubmitAIJob: \(error.reason)")
        }
    }

    /// Asks for the state of jobs, in calls of at most ``maxJobIdsPerList`` IDs (repeats dropped),
    /// and merges the answers in order; the `RequestId` is the first call's. No IDs, no call.
    public func listAIJobs(jobIds: [String]) async throws(VODClientError) -> ListAIJobResponse {
        var seen: Set<String> = []
        let unique = jobIds.filter { !$0.isEmpty && seen.insert($0).inserted }
        var parts: [ListAIJobResponse] = []
        var start = 0
        while start < unique.count {
            let chunk = unique[start..<min(start + Self.maxJobIdsPerList, unique.count)]
            start += Self.maxJobIdsPerList
            let body = try await call(
                action: "ListAIJob",
                parameters: [ACSQueryItem(name: "JobIds", value: chunk.joined(separator: ","))],
                mayRepeat: true)
            do {
                parts.append(try ListAIJobResponse.decode(body))
            } catch {
                throw .malformedResponse("ListAIJob: \(error.reason)")
            }
        }
        return ListAIJobResponse.merged(parts) ?? ListAIJobResponse(requestId: "", jobs: [])
    }

    /// One operation with retries; returns the body of a 2xx answer.
    ///
    /// - Parameter mayRepeat: whether a request that may have arrived can be sent again (read-only calls).
    private func call(
        action: String, parameters: [ACSQueryItem],
        mayRepeat: Bool
    ) async throws(VODClientError) -> [UInt8] {
        let request = ACSRequest(action: action, host: endpoint.host, parameters: parameters)
        var attempts = 0
        while true {
            attempts += 1
            let failure: Failure
            switch await attempt(request, mayRepeat: mayRepeat) {
            case .success(let body): return body
            case .failure(let failed): failure = failed
            }
            guard failure.retryable, let delay = backoff.delay(afterAttempts: attempts, random: random) else {
                throw failure.error
            }
            do {
                try await sleep(delay)
            } catch {
                // Cancelled while waiting: the last answer is the truthful one.
                throw failure.error
            }
        }
    }

    private struct Failure: Error {
        let error: VODClientError
        let retryable: Bool
    }

    /// One signed send and the reading of its status.
    private func attempt(_ request: ACSRequest, mayRepeat: Bool) async -> Result<[UInt8], Failure> {
        let signed: SignedRequest
        do {
            signed = try request.signed(
                credentials: credentials, style: style,
                timestamp: ACSTimestamp(epochSeconds: now()), nonce: nonce())
        } catch {
            return .failure(Failure(error: .invalidRequest("\(error)"), retryable: false))
        }
        let status: Int
        let body: [UInt8]
        do {
            (status, body) = try await transport.send(signed, timeout: timeout)
        } catch {
            let reason = (error as? VODTransportError) ?? .outcomeUnknown(String(describing: type(of: error)))
            switch reason {
            case .notSent(let text):
                return .failure(Failure(error: .transport("\(request.action): \(scrub(text))"), retryable: true))
            case .outcomeUnknown(let text) where mayRepeat:
                return .failure(Failure(error: .transport("\(request.action): \(scrub(text))"), retryable: true))
            case .outcomeUnknown(let text):
                return .failure(Failure(error: .outcomeUnknown("\(request.action): \(scrub(text))"), retryable: false))
            }
        }
        if (200...299).contains(status) { return .success(body) }
        if let apiError = VODAPIError.parse(httpStatus: status, body: body) {
            return .failure(failure(apiError.redacting(secrets), mayRepeat: mayRepeat))
        }
        if (500...599).contains(status) {
            // A proxy or load balancer answered for VOD: a server error like VOD's own, and just
            // as unsure for a submit (VOD may have made the job and the proxy lost its answer).
            let error = VODAPIError(httpStatus: status, code: "", message: "no VOD error body (a proxy's answer?)")
            return .failure(failure(error, mayRepeat: mayRepeat))
        }
        return .failure(
            Failure(
                error: .malformedResponse("\(request.action): HTTP \(status) without a VOD error body"),
                retryable: false))
    }

    /// A read is sent again on any error that may clear up; any other call only when VOD said it
    /// did nothing, and a server error is reported as such: the call may have taken effect.
    private func failure(_ error: VODAPIError, mayRepeat: Bool) -> Failure {
        if mayRepeat { return Failure(error: .api(error), retryable: error.isRetryable) }
        if error.mayHaveTakenEffect { return Failure(error: .serverError(error), retryable: false) }
        return Failure(error: .api(error), retryable: error.isThrottling)
    }

    private var secrets: [String] {
        [credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken ?? ""]
    }

    /// Blanks any credential that found its way into a transport's message.
    private func scrub(_ text: String) -> String {
        secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacing($1, with: "<redacted>") }
    }
}
