import Foundation
import Logging
import Synchronization
import Testing
import VODHook
import VODHookCore

@testable import VODHookServer

/// What the server log gets for refused callbacks: bounded, whatever comes in.
@Suite struct RefusalLogTests {
    @Test("503s are logged like any refusal, at most 20 lines per window, however many come in")
    func unavailableIsRateLimited() async throws {
        let lines = CapturedLines()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vodhook-refusals-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = try LedgerWriter(dataDir: dir, logger: CallbackRouteTests.logger)
        let intake = CallbackIntake(
            paths: ["/vod/callback"], verifier: nil, maxBody: 1024, ledger: ledger,
            rejections: RejectionLog(logger: Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }),
            now: { 1_795_521_821 })
        // A full disk under VOD's retries: every callback answered 503.
        for index in 0..<50 {
            intake.refused(.notRecorded(.closed), peer: .ip("127.0.0.1", port: 40_000 + index), forwardedFor: nil)
        }
        #expect(lines.all.count == 20)
        #expect(lines.all.allSatisfy { $0.contains("503") && $0.contains("ledger_unavailable") })
        await ledger.close()
    }

    @Test("X-Forwarded-For is logged escaped and bounded: no forged line, no forged field, no flood")
    func forwardedForEscaped() async throws {
        let lines = CapturedLines()
        let log = RejectionLog(logger: Logger(label: "test") { _ in CapturingLogHandler(lines: lines) })
        let forged =
            "203.0.113.7\nwarning: callback accepted seq=1 \"x\"\r\u{1B}[2J\u{2028}" + String(repeating: "9", count: 10_000)
        log.record(status: 403, reason: "signature_mismatch", client: "127.0.0.1:40000", forwardedFor: forged, now: 1_795_521_821)
        let line = try #require(lines.all.first)
        #expect(!line.contains("\n") && !line.contains("\r") && !line.contains("\u{1B}") && !line.contains("\u{2028}"), "\(line)")
        #expect(line.contains(#"203.0.113.7\u{a}warning: callback accepted seq\u{3d}1 \"x\"\u{d}\u{1b}[2J\u{2028}"#), "\(line)")
        #expect(!line.contains("seq=1"), "\(line)")
        #expect(line.count < 600, "\(line.count) characters logged")
        #expect(line.contains("more)"), "\(line)")
    }
}

final class CapturedLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

/// Keeps each line as "<message> <metadata>", to look for what it says.
struct CapturingLogHandler: LogHandler {
    let lines: CapturedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        let merged = self.metadata.merging(metadata ?? [:]) { $1 }
        lines.append("\(message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
