import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VODHookCore

/// Where the fake sends callbacks: the URL it connects to, the URL it signs (the callback URL
/// as configured in VOD: the same in production, a name vodhook is told with --public-url
/// here), and the account's callback key.
struct FakeVODCallbackTarget: Sendable {
    let deliverTo: String
    let signedURL: String
    let key: String

    /// A job's `MessageCallback` URL overrides the account's: it is both connected to and signed.
    func forJob(callbackURL: String?) -> FakeVODCallbackTarget {
        callbackURL.map { FakeVODCallbackTarget(deliverTo: $0, signedURL: $0, key: key) } ?? self
    }
}

/// One callback attempt.
struct FakeVODDelivery: Sendable, Hashable {
    let jobId: String
    let url: String
    /// The HTTP status answered; 0 when vodhook could not be reached.
    let status: Int
}

/// The callback VOD sends when an AI job ends (docs/vod.md §1): a JSON event, signed with
/// `X-VOD-TIMESTAMP` and `X-VOD-SIGNATURE = md5(url|timestamp|key)`.
enum FakeVODCallbacks {
    static func callbackURL(inUserData userData: String?) -> String? {
        guard let userData, let object = try? JSONSerialization.jsonObject(with: Data(userData.utf8)) as? [String: Any],
            let callback = object["MessageCallback"] as? [String: Any]
        else { return nil }
        return callback["CallbackURL"] as? String
    }

    static func post(job: FakeVODJob, status: String, to target: FakeVODCallbackTarget, now: Int64) async -> Int {
        let eventTime = ACSTimestamp(epochSeconds: now).text
        guard
            let body = SampleEvent.body(
                type: job.type + "Complete", jobId: job.jobId, mediaId: job.mediaId,
                status: status, eventTime: eventTime)
        else { return 0 }
        let timestamp = String(now)
        var request = HTTPClientRequest(url: target.deliverTo)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-VOD-TIMESTAMP", value: timestamp)
        request.headers.add(
            name: "X-VOD-SIGNATURE", value: CallbackVerifier.sign(url: target.signedURL, timestamp: timestamp, key: target.key))
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            _ = try await response.body.collect(upTo: 1 << 16)
            return Int(response.status.code)
        } catch {
            return 0
        }
    }
}
