import Logging
import Testing
import VODHook

@testable import VODHookServer

/// The decision Hummingbird's listening-channel handler asks of ``ConnectionLimit``.
@Suite struct ConnectionLimitTests {
    @Test("accepting stops at the cap and resumes below it; reaching it is logged at most once per window")
    func capAndLog() {
        let lines = CapturedLines()
        var limit = ConnectionLimit(
            maximum: 2, listener: "public", logger: Logger(label: "test") { _ in CapturingLogHandler(lines: lines) },
            logEvery: .seconds(3600))
        limit.connectionOpened()
        #expect(limit.isAcceptingNewConnections())
        limit.connectionOpened()
        #expect(!limit.isAcceptingNewConnections())
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("connection limit reached") == true)
        #expect(lines.all.first?.contains("listener=public") == true)
        limit.connectionClosed()
        #expect(limit.isAcceptingNewConnections())
        limit.connectionOpened()
        #expect(!limit.isAcceptingNewConnections())
        #expect(lines.all.count == 1, "the cap reached twice in one window was logged twice")
    }

    @Test("the cap is lowered to what the open-file limit leaves after the reserve, and kept when it fits")
    func loweredByFileLimit() {
        let tight = OpenFileLimit.Change(softBefore: 1024, soft: 1024, hard: 1024, failure: nil)
        #expect(tight.lowered(8192) == 1024 - Int(OpenFileLimit.reservedFiles))
        #expect(tight.lowered(100) == nil)
        let roomy = OpenFileLimit.Change(softBefore: 1024, soft: 524_288, hard: 524_288, failure: nil)
        #expect(roomy.lowered(8192) == nil)
        let tiny = OpenFileLimit.Change(softBefore: 64, soft: 64, hard: 64, failure: nil)
        #expect(tiny.lowered(8192) == 1)
    }
}
