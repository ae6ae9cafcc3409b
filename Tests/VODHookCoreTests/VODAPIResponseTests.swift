import Testing
import VODHookCore

/// SubmitAIJob and ListAIJob answers, from the shared samples and hand-written variants.
@Suite("VOD API responses")
struct VODAPIResponseTests {
    @Test("the SubmitAIJob sample decodes to one job per type") func submitSample() throws {
        let response = try SubmitAIJobResponse.decode(EventFixtures.sample("submit-aijob-response.json"))
        #expect(response.requestId == "6811E444-4E6A-D99E-D8D3-8B0FBFC9058A")
        #expect(
            response.jobs == [
                .init(type: "AIVideoTag", jobId: "b848292fe928dccbff92402b56903ffb", mediaId: "4fefd4f434d07c2005373156a727d707"),
                .init(type: "AIMediaDNA", jobId: "499dad9b611fd23eda328a31ee3a1a90", mediaId: "4fefd4f434d07c2005373156a727d707"),
            ])
    }

    @Test("unknown members of a SubmitAIJob answer are ignored") func submitUnknownFields() throws {
        let body =
            #"{"RequestId":"r","Extra":1,"AIJobList":{"AIJob":[{"Type":"AIVideoTag","JobId":"j","MediaId":"m","Status":"init","Data":{}}]}}"#
        let response = try SubmitAIJobResponse.decode(Array(body.utf8))
        #expect(response.jobs.map(\.jobId) == ["j"])
    }

    @Test("a SubmitAIJob answer without JobId is refused, naming the field and not the body") func submitMissing() {
        let body = #"{"RequestId":"secret-looking","AIJobList":{"AIJob":[{"Type":"AIVideoTag","MediaId":"m"}]}}"#
        #expect {
            try SubmitAIJobResponse.decode(Array(body.utf8))
        } throws: { error in
            let text = "\(error)"
            return text.contains("JobId") && !text.contains("secret-looking")
        }
    }

    @Test("the ListAIJob sample decodes every job and the unknown ID") func listSample() throws {
        let response = try ListAIJobResponse.decode(EventFixtures.sample("list-aijob-response.json"))
        #expect(response.requestId == "0B6A43C1-2F5E-4D8A-9C71-5E3F2A1D7B44")
        #expect(response.nonExistentJobIds == ["0000000000000000000000000000dead"])
        #expect(response.jobs.count == 2)
        let done = try #require(response.jobs.first)
        #expect(done.status == "success" && done.code == "0" && done.isFinished)
        #expect(done.completeTime == "2026-11-24T12:03:41Z")
        #expect(done.data?.stringValue?.contains("mountain") == true)
        let failed = response.jobs[1]
        #expect(failed.status == "fail" && failed.code == "InternalError" && failed.data == nil)
    }

    @Test(
        "NonExistAIJobIds.String is read as an array or as a single string",
        arguments: [
            (#"{"RequestId":"r","NonExistAIJobIds":{"String":["a","b"]}}"#, ["a", "b"]),
            (#"{"RequestId":"r","NonExistAIJobIds":{"String":"a"}}"#, ["a"]),
            (#"{"RequestId":"r","NonExistAIJobIds":{"String":[]}}"#, []),
            (#"{"RequestId":"r","NonExistAIJobIds":{}}"#, []),
            (#"{"RequestId":"r"}"#, []),
        ] as [(String, [String])])
    func nonExistent(body: String, expected: [String]) throws {
        let response = try ListAIJobResponse.decode(Array(body.utf8))
        #expect(response.nonExistentJobIds == expected)
        #expect(response.jobs.isEmpty)
    }

    @Test("a running job without times or data still decodes") func listRunning() throws {
        let body = #"{"RequestId":"r","AIJobList":{"AIJob":[{"JobId":"j","Status":"processing"}]}}"#
        let job = try #require(try ListAIJobResponse.decode(Array(body.utf8)).jobs.first)
        #expect(job.status == "processing" && !job.isFinished && job.mediaId == nil)
    }

    @Test("answers to several ListAIJob calls merge in order") func merge() throws {
        let a = ListAIJobResponse(requestId: "1", jobs: [.init(jobId: "a")], nonExistentJobIds: ["x"])
        let b = ListAIJobResponse(requestId: "2", jobs: [.init(jobId: "b")], nonExistentJobIds: ["y"])
        let merged = try #require(ListAIJobResponse.merged([a, b]))
        #expect(merged.requestId == "1" && merged.jobs.map(\.jobId) == ["a", "b"] && merged.nonExistentJobIds == ["x", "y"])
        #expect(ListAIJobResponse.merged([]) == nil)
    }

    @Test("a body that is not JSON is refused") func notJSON() {
        #expect(throws: VODResponseDecodingError.self) { try ListAIJobResponse.decode(Array("<Error/>".utf8)) }
    }
}
