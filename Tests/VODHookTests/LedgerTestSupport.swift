import Foundation
import Logging
import VODHook
import VODHookCore

/// A fresh data directory per test, removed afterwards.
struct TemporaryDataDir: ~Copyable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vodhook-test-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var ledgerPath: String { path + "/ledger.jsonl" }

    func ledgerLines() throws -> [String] {
        try String(contentsOfFile: ledgerPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    /// Appends bytes to the live file behind the writer's back (a torn tail, or what a failed cut leaves).
    func appendToLedger(_ text: String) throws {
        guard let handle = FileHandle(forWritingAtPath: ledgerPath) else { throw CocoaError(.fileNoSuchFile) }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

enum LedgerFixtures {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func event(_ jobId: String, status: String = "success", type: String = "AIVideoTagComplete") throws -> LedgerRecord {
        let body = Array(#"{"EventType":"\#(type)","JobId":"\#(jobId)","MediaId":"m-\#(jobId)","Status":"\#(status)"}"#.utf8)
        return .event(EventRecord(envelope: try EventParser.envelope(of: body), body: body))
    }

    static func seq(of line: String) throws -> UInt64 {
        try LedgerLine.decode(Array(line.utf8)).seq
    }
}
