import Testing
import VODHookCore

@Suite("Where VOD offers each AI job type")
struct AIJobRegionsTests {
    @Test("AIVideoTag: cn-beijing and cn-shanghai only; AIMediaDNA also ap-southeast-1")
    func table() {
        #expect(AIJobRegions.unavailable(["AIVideoTag", "AIMediaDNA"], in: "cn-shanghai").isEmpty)
        #expect(AIJobRegions.unavailable(["AIVideoTag", "AIMediaDNA"], in: "cn-beijing").isEmpty)
        #expect(AIJobRegions.unavailable(["AIVideoTag", "AIMediaDNA"], in: "ap-southeast-1") == ["AIVideoTag"])
        #expect(AIJobRegions.unavailable(["AIMediaDNA", "AIVideoTag"], in: "eu-central-1") == ["AIMediaDNA", "AIVideoTag"])
        #expect(AIJobRegions.unavailable(["AIVideoTag"], in: "CN-Shanghai").isEmpty)
    }

    @Test("cn-hangzhou is served by cn-shanghai's endpoint")
    func hangzhou() {
        #expect(AIJobRegions.unavailable(["AIVideoTag"], in: "cn-hangzhou").isEmpty)
    }

    @Test("the refusal names the type, the region and where it is offered")
    func refusal() {
        let text = AIJobRegions.refusal(type: "AIVideoTag", region: "ap-southeast-1")
        #expect(text.contains("AIVideoTag") && text.contains("ap-southeast-1") && text.contains("cn-beijing, cn-shanghai"))
    }
}
