import AsyncHTTPClient
import Testing
import VODHook
import VODHookCore

/// SubmitAIJob against the fake VOD over real HTTP: signatures, credentials, errors, retries.
@Suite("VOD client: SubmitAIJob")
struct VODClientSubmitTests {
    typealias Support = VODClientSupport

    @Test("a submit signed in either style is accepted and returns one job per type", arguments: SigningStyle.allCases)
    func submit(style: SigningStyle) async throws {
        try await Support.withFake { state, endpoint, http in
            let client = Support.client(endpoint, http, style: style)
            let response = try await client.submitAIJob(
                mediaId: "3D3D12340d9401fab46a0b847****", types: ["AIVideoTag", "AIMediaDNA"],
                config: #"{"AIVideoTag":{"AnalyseTypes":"ASR,OCR"}}"#, userData: Support.userData)
            #expect(response.jobs.map(\.type) == ["AIVideoTag", "AIMediaDNA"])
            #expect(response.jobs.allSatisfy { $0.mediaId == "3D3D12340d9401fab46a0b847****" && $0.jobId.count == 32 })
            #expect(!response.requestId.isEmpty)
            let calls = state.calls
            #expect(calls.count == 1)
            #expect(calls.first?.style == style && calls.first?.status == 200 && calls.first?.action == "SubmitAIJob")
            #expect(calls.first?.hostCount == 1)
            for job in response.jobs { #expect(state.job(job.jobId)?.mediaId == "3D3D12340d9401fab46a0b847****") }
        }
    }

    @Test("STS credentials sign the security token in either style", arguments: SigningStyle.allCases)
    func sts(style: SigningStyle) async throws {
        try await Support.withFake { state, endpoint, http in
            let client = Support.client(endpoint, http, credentials: Support.stsCredentials, style: style)
            let response = try await client.submitAIJob(mediaId: "m1", types: ["AIMediaDNA"])
            #expect(response.jobs.count == 1)
            #expect(state.calls.map(\.status) == [200])
        }
    }

    @Test("an STS key used without its token is refused")
    func stsWithoutToken() async throws {
        try await Support.withFake { state, endpoint, http in
            let bare = ACSCredentials(
                accessKeyId: Support.stsCredentials.accessKeyId,
                accessKeySecret: Support.stsCredentials.accessKeySecret)
            let result = await Self.submit(Support.client(endpoint, http, credentials: bare))
            #expect(result?.apiError?.code == "InvalidSecurityToken.MismatchWithAccessKey")
            #expect(state.calls.count == 1)
        }
    }

    @Test(
        "a wrong secret is SignatureDoesNotMatch, not retried, and its message shows no credential",
        arguments: SigningStyle.allCases)
    func wrongSecret(style: SigningStyle) async throws {
        try await Support.withFake { state, endpoint, http in
            let wrong = ACSCredentials(
                accessKeyId: Support.stsCredentials.accessKeyId, accessKeySecret: "not-the-secret",
                securityToken: Support.stsCredentials.securityToken)
            let sleeps = Support.SleepLog()
            let error = await Self.submit(Support.client(endpoint, http, credentials: wrong, style: style, sleeps: sleeps))
            let api = try #require(error?.apiError)
            #expect(api.code == "SignatureDoesNotMatch" && api.httpStatus == 400 && api.requestId != nil)
            #expect(state.calls.count == 1 && sleeps.recorded.isEmpty)
            let text = "\(try #require(error))"
            #expect(text.contains("SignatureDoesNotMatch") && text.contains(api.requestId ?? "?"))
            for secret in [wrong.accessKeyId, "not-the-secret", wrong.securityToken ?? "?"] {
                #expect(!text.contains(secret))
                #expect(!api.message.contains(secret))
            }
            #expect(!text.contains("\n"))
        }
    }

    @Test("an unknown AccessKey ID is InvalidAccessKeyId.NotFound")
    func unknownKey() async throws {
        try await Support.withFake { state, endpoint, http in
            let stranger = ACSCredentials(accessKeyId: "LTAIunknown", accessKeySecret: "x")
            let error = await Self.submit(Support.client(endpoint, http, credentials: stranger))
            #expect(error?.apiError?.code == "InvalidAccessKeyId.NotFound")
            #expect(error?.apiError?.isRetryable == false && state.calls.count == 1)
        }
    }

    @Test("throttled twice, then accepted: success after three calls with two backoff waits")
    func throttledThenSuccess() async throws {
        try await Support.withFake { state, endpoint, http in
            state.throttleNext(2)
            let sleeps = Support.SleepLog()
            let response = try await Support.client(endpoint, http, sleeps: sleeps).submitAIJob(
                mediaId: "m", types: ["AIVideoTag"])
            #expect(response.jobs.count == 1)
            #expect(state.calls.map(\.code) == ["Throttling.User", "Throttling.User", nil])
            #expect(sleeps.recorded.count == 2)
            #expect(sleeps.recorded.allSatisfy { $0 <= .milliseconds(400) })
            #expect(state.jobCount == 1)
        }
    }

    @Test("throttling past the attempt limit surfaces the last Throttling error")
    func throttledOut() async throws {
        try await Support.withFake { state, endpoint, http in
            state.throttleNext(5)
            let error = await Self.submit(Support.client(endpoint, http, maxAttempts: 3))
            #expect(error?.apiError?.code == "Throttling.User")
            #expect(state.calls.count == 3 && state.jobCount == 0)
        }
    }

    @Test(
        "a 5xx after sending is not retried: VOD, or a proxy that lost its answer, may have created the job",
        arguments: [FakeVODFault.internalError, .answeredByProxy(502), .answeredByProxy(504)])
    func serverErrorIsUnknown(fault: FakeVODFault) async throws {
        try await Support.withFake { state, endpoint, http in
            state.script(fault)
            let sleeps = Support.SleepLog()
            let error = try #require(await Self.submit(Support.client(endpoint, http, sleeps: sleeps)))
            #expect(state.receivedCount == 1 && sleeps.recorded.isEmpty, "retried: \(state.calls.map(\.status))")
            let records = SubmissionRecords.make(item: SubmitItem(mediaId: "m-1", types: ["AIVideoTag"]), result: .failure(error))
            #expect(records.map(\.outcome) == [.unknown], "\(error)")
            #expect(records.first?.error?.httpStatus == state.calls.first?.status, "the status is kept for the operator")
        }
    }

    @Test("a submit that times out after sending is outcomeUnknown after exactly one call")
    func timeout() async throws {
        try await Support.withFake { state, endpoint, http in
            state.script(.delay(.milliseconds(1500)))
            let sleeps = Support.SleepLog()
            let error = await Self.submit(Support.client(endpoint, http, timeout: .milliseconds(300), sleeps: sleeps))
            guard case .outcomeUnknown(let text)? = error else {
                Issue.record("expected outcomeUnknown, got \(String(describing: error))")
                return
            }
            #expect(text.contains("SubmitAIJob"))
            // The request was sent before the timeout; on a loaded machine the fake may count it
            // just after the client gave up.
            let received = await ProcessPoll.until(timeout: .seconds(5)) { state.receivedCount >= 1 }
            #expect(received && state.receivedCount == 1 && sleeps.recorded.isEmpty)
        }
    }

    @Test("a malformed 200 body is malformedResponse, not retried")
    func malformed() async throws {
        try await Support.withFake { state, endpoint, http in
            state.script(.malformedBody)
            let error = await Self.submit(Support.client(endpoint, http))
            guard case .malformedResponse(let text)? = error else {
                Issue.record("expected malformedResponse, got \(String(describing: error))")
                return
            }
            #expect(text.hasPrefix("SubmitAIJob: "))
            #expect(state.calls.count == 1)
        }
    }

    @Test("a connection that cannot be made is a transport error, retried since nothing was sent")
    func refused() async throws {
        let http = AsyncHTTPClientTransport.makeHTTPClient()
        let endpoint = try VODEndpoint(url: "http://127.0.0.1:1")
        let sleeps = Support.SleepLog()
        let error = await Self.submit(Support.client(endpoint, http, maxAttempts: 3, timeout: .seconds(2), sleeps: sleeps))
        try await http.shutdown()
        guard case .transport? = error else {
            Issue.record("expected transport, got \(String(describing: error))")
            return
        }
        #expect(sleeps.recorded.count == 2)
    }

    @Test("an empty MediaId or type list is refused before sending")
    func invalid() async throws {
        try await Support.withFake { state, endpoint, http in
            let client = Support.client(endpoint, http)
            await #expect(throws: VODClientError.invalidRequest("MediaId is empty")) {
                try await client.submitAIJob(mediaId: "", types: ["AIVideoTag"])
            }
            await #expect(throws: VODClientError.invalidRequest("no AI type given")) {
                try await client.submitAIJob(mediaId: "m", types: [])
            }
            #expect(state.calls.isEmpty)
        }
    }

    /// The error of a submit, or nil if it succeeded.
    static func submit(_ client: VODClient) async -> VODClientError? {
        do {
            _ = try await client.submitAIJob(mediaId: "m-1", types: ["AIVideoTag"], userData: Support.userData)
            return nil
        } catch {
            return error
        }
    }
}
