import Logging
import Synchronization
import Testing
import VODHook

@Suite struct DeferredMetadataLogHandlerTests {
    /// Collects what a `StreamLogHandler` writes.
    final class Lines: TextOutputStream, Sendable {
        private let text = Mutex("")
        func write(_ string: String) { text.withLock { $0 += string } }
        /// Without the leading timestamp (`StreamLogHandler` stamps to the second).
        var lines: [String] {
            text.withLock { $0 }.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1).last.map(String.init) ?? "" }
        }
    }

    private func loggers() -> (plain: Logger, deferred: Logger, plainLines: Lines, deferredLines: Lines) {
        let plainLines = Lines()
        let deferredLines = Lines()
        let plain = Logger(label: "t") { label in StreamLogHandler(label: label, stream: plainLines, metadataProvider: nil) }
        let deferred = Logger(label: "t") { label in
            DeferredMetadataLogHandler(StreamLogHandler(label: label, stream: deferredLines, metadataProvider: nil))
        }
        return (plain, deferred, plainLines, deferredLines)
    }

    @Test("lines come out as the wrapped handler writes them")
    func sameLines() {
        var (plain, deferred, plainLines, deferredLines) = loggers()
        for logger in [plain, deferred] {
            logger.info("no metadata")
            logger.warning("call metadata", metadata: ["b": "2", "a": "1"])
        }
        for key in ["hb.request.id", "z"] {
            plain[metadataKey: key] = "\(key)-value"
            deferred[metadataKey: key] = "\(key)-value"
        }
        #expect(deferred[metadataKey: "z"] == "z-value")
        for logger in [plain, deferred] {
            logger.info("handler metadata")
            logger.error("both, the call's value wins", metadata: ["z": "call", "a": "1"])
            logger.debug("below the level: not written")
        }
        deferred.logLevel = .debug
        plain.logLevel = .debug
        #expect(deferred.logLevel == .debug)
        for logger in [plain, deferred] { logger.debug("now written") }
        #expect(plainLines.lines.count == 5)
        #expect(deferredLines.lines == plainLines.lines)
        #expect(deferredLines.lines[3].contains("a=1 hb.request.id=hb.request.id-value z=call"))
    }

    @Test("a copy's metadata is its own")
    func copies() {
        let (_, deferred, _, lines) = loggers()
        var first = deferred
        first[metadataKey: "id"] = "1"
        var second = first
        second[metadataKey: "id"] = "2"
        first.info("one")
        second.info("two")
        #expect(lines.lines == ["info t: id=1 [VODHookTests] one", "info t: id=2 [VODHookTests] two"])
    }
}
