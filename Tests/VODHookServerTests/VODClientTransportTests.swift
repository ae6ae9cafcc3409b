import AsyncHTTPClient
import Testing
import VODHook
import VODHookCore

/// What AsyncHTTPClient puts on the wire for a signed request.
@Suite("VOD client: transport")
struct VODClientTransportTests {
    typealias Support = VODClientSupport

    @Test("the query arrives byte for byte as signed, with a single Host", arguments: SigningStyle.allCases)
    func exactQuery(style: SigningStyle) async throws {
        try await Support.withFake { state, endpoint, http in
            let request = ACSRequest(
                action: "SubmitAIJob", host: endpoint.host,
                parameters: [
                    "MediaId": "3D3D12340d9401fab46a0b847****", "Types": "AIVideoTag",
                    "UserData": Support.userData, "Config": #"{"AIVideoTag": {"AnalyseTypes": "ASR,OCR"}}"#,
                ])
            let signed = try request.signed(
                credentials: Support.credentials, style: style,
                timestamp: ACSTimestamp(epochSeconds: WallClock.seconds()), nonce: "n-\(style)")
            let transport = AsyncHTTPClientTransport(endpoint: endpoint, client: http)
            let (status, _) = try await transport.send(signed, timeout: .seconds(5))
            #expect(status == 200)
            let call = try #require(state.calls.first)
            #expect(call.rawQuery == signed.query)
            #expect(
                call.rawQuery.contains("%2A") && call.rawQuery.contains("%20") && call.rawQuery.contains("%2B")
                    && call.rawQuery.contains("%E4%B8%AD"))
            #expect(call.hostCount == 1)
        }
    }

    @Test("a replayed request is refused as SignatureNonceUsed")
    func replay() async throws {
        try await Support.withFake { state, endpoint, http in
            let request = ACSRequest(action: "ListAIJob", host: endpoint.host, parameters: ["JobIds": "a"])
            let signed = try request.signed(
                credentials: Support.credentials,
                timestamp: ACSTimestamp(epochSeconds: WallClock.seconds()), nonce: "once")
            let transport = AsyncHTTPClientTransport(endpoint: endpoint, client: http)
            _ = try await transport.send(signed, timeout: .seconds(5))
            let (status, body) = try await transport.send(signed, timeout: .seconds(5))
            #expect(status == 400)
            #expect(VODAPIError.parse(httpStatus: status, body: body)?.code == "SignatureNonceUsed")
        }
    }

    @Test("a request signed 20 minutes ago is refused as expired")
    func stale() async throws {
        try await Support.withFake { state, endpoint, http in
            let client = VODClient(
                endpoint: endpoint, credentials: Support.credentials,
                transport: AsyncHTTPClientTransport(endpoint: endpoint, client: http),
                now: { WallClock.seconds() - 20 * 60 })
            do throws(VODClientError) {
                _ = try await client.listAIJobs(jobIds: ["a"])
                Issue.record("expected an error")
            } catch {
                #expect(error.apiError?.code == "InvalidTimeStamp.Expired")
            }
        }
    }
}
