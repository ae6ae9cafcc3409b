import AsyncHTTPClient
import Synchronization
import VODHook
import VODHookCore

/// Shared set-up for the client tests: credentials the fake issues, a client over real HTTP with
/// a sleep seam that records instead of waiting.
enum VODClientSupport {
    static let credentials = ACSCredentials(accessKeyId: "LTAI5tFakeKeyId0001", accessKeySecret: "fake-secret-0001")
    static let stsCredentials = ACSCredentials(
        accessKeyId: "STS.FakeKeyId0002", accessKeySecret: "fake-secret-0002",
        securityToken: "CAISfakeSecurityToken0002")
    /// Tricky characters for the signed query: space, `*`, `~`, `+`, `&`, `=`, CJK.
    static let userData = #"{"Extend":{"localId":"a b*c~d+e&f=g","note":"中文"}}"#

    /// Records the waits a client asked for, so retry tests take no time.
    final class SleepLog: Sendable {
        private let waits = Mutex<[Duration]>([])
        var recorded: [Duration] { waits.withLock { $0 } }
        @Sendable func sleep(_ duration: Duration) async throws { waits.withLock { $0.append(duration) } }
    }

    /// Runs `body` with a fake VOD issuing `issued` and a fresh HTTP client, shut down afterwards.
    static func withFake(
        issued: [ACSCredentials] = [credentials, stsCredentials],
        _ body: @Sendable (FakeVODState, VODEndpoint, HTTPClient) async throws -> Void
    ) async throws {
        let state = FakeVODState(credentials: issued)
        let http = AsyncHTTPClientTransport.makeHTTPClient()
        do {
            try await FakeVODServer.run(state) { endpoint in try await body(state, endpoint, http) }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    static func client(
        _ endpoint: VODEndpoint, _ http: HTTPClient, credentials: ACSCredentials = credentials,
        style: SigningStyle = .v3, maxAttempts: Int = 4, timeout: Duration = .seconds(5),
        sleeps: SleepLog = SleepLog()
    ) -> VODClient {
        VODClient(
            endpoint: endpoint, credentials: credentials, style: style,
            transport: AsyncHTTPClientTransport(endpoint: endpoint, client: http),
            maxAttempts: maxAttempts, timeout: timeout, sleep: sleeps.sleep)
    }
}
