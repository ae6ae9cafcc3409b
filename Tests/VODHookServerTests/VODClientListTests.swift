import AsyncHTTPClient
import Foundation
import Testing
import VODHook
import VODHookCore

/// ListAIJob against the fake VOD: splitting, merging, unknown IDs, retries on timeouts.
@Suite("VOD client: ListAIJob")
struct VODClientListTests {
    typealias Support = VODClientSupport

    @Test("25 job IDs go out as three calls of at most 10, merged in order", arguments: SigningStyle.allCases)
    func split(style: SigningStyle) async throws {
        try await Support.withFake { state, endpoint, http in
            let client = Support.client(endpoint, http, style: style)
            let submitted = try await client.submitAIJob(mediaId: "m", types: ["AIVideoTag", "AIMediaDNA"])
            let known = submitted.jobs.map(\.jobId)
            let unknown = (0..<23).map { String(format: "%032x", $0 + 0xdead) }
            let ids = [known[0]] + unknown.prefix(12) + [known[1]] + unknown.dropFirst(12)
            #expect(ids.count == 25)
            let response = try await client.listAIJobs(jobIds: ids)
            let lists = state.calls.filter { $0.action == "ListAIJob" }
            #expect(lists.map(\.listedJobIds.count) == [10, 10, 5])
            #expect(lists.flatMap(\.listedJobIds) == ids)
            #expect(response.jobs.map(\.jobId) == known)
            #expect(response.jobs.allSatisfy { $0.status == "processing" && $0.mediaId == "m" })
            #expect(response.nonExistentJobIds == unknown)
        }
    }

    @Test("a single unknown ID written as a bare string is still read")
    func bareString() async throws {
        try await Support.withFake { state, endpoint, http in
            state.writeSingleNonExistentAsString(true)
            let client = Support.client(endpoint, http)
            let job = try #require(try await client.submitAIJob(mediaId: "m", types: ["AIMediaDNA"]).jobs.first)
            state.setStatus("success", of: job.jobId)
            let response = try await client.listAIJobs(jobIds: [job.jobId, "ffffffffffffffffffffffffffffffff"])
            #expect(response.nonExistentJobIds == ["ffffffffffffffffffffffffffffffff"])
            #expect(response.jobs.first?.status == "success" && response.jobs.first?.isFinished == true)
        }
    }

    @Test("no IDs, no call; repeated IDs are asked once")
    func emptyAndRepeats() async throws {
        try await Support.withFake { state, endpoint, http in
            let client = Support.client(endpoint, http)
            let empty = try await client.listAIJobs(jobIds: [])
            #expect(empty.jobs.isEmpty && state.calls.isEmpty)
            _ = try await client.listAIJobs(jobIds: ["a", "a", "b"])
            #expect(state.calls.map(\.listedJobIds) == [["a", "b"]])
        }
    }

    @Test("a ListAIJob that times out is retried: it changes nothing at VOD")
    func timeoutRetried() async throws {
        try await Support.withFake { state, endpoint, http in
            state.script(.delay(.milliseconds(1500)))
            let sleeps = Support.SleepLog()
            let client = Support.client(endpoint, http, timeout: .milliseconds(300), sleeps: sleeps)
            let response = try await client.listAIJobs(jobIds: ["abc"])
            #expect(response.nonExistentJobIds == ["abc"])
            // One retry after one wait. The fake may not have read the first request whole before
            // the client gave up on it (a loaded machine), so it counts one or two.
            #expect(sleeps.recorded.count == 1)
            #expect((1...2).contains(state.receivedCount), "\(state.receivedCount)")
        }
    }

    @Test(
        "a ListAIJob answered 5xx (by VOD or a proxy) is retried: a read changes nothing at VOD",
        arguments: [FakeVODFault.internalError, .answeredByProxy(502)])
    func serverErrorRetried(fault: FakeVODFault) async throws {
        try await Support.withFake { state, endpoint, http in
            state.script(fault)
            let sleeps = Support.SleepLog()
            let response = try await Support.client(endpoint, http, sleeps: sleeps).listAIJobs(jobIds: ["abc"])
            #expect(response.nonExistentJobIds == ["abc"])
            #expect(state.calls.count == 2 && sleeps.recorded.count == 1)
        }
    }

    @Test("a malformed ListAIJob body is malformedResponse")
    func malformed() async throws {
        try await Support.withFake { state, endpoint, http in
            state.script(.malformedBody)
            do throws(VODClientError) {
                _ = try await Support.client(endpoint, http).listAIJobs(jobIds: ["abc"])
                Issue.record("expected an error")
            } catch {
                guard case .malformedResponse = error else {
                    Issue.record("expected malformedResponse, got \(error)")
                    return
                }
            }
            #expect(state.calls.count == 1)
        }
    }
}
