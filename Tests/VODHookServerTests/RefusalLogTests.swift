import Foundation
import Logging
import Synchronization
import Testing
import VODHookCore
import VODHook
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
