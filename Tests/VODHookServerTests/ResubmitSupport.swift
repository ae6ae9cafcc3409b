import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
import Testing
import VODHook
import VODHookCore

/// A resubmit handler on real parts: a real LedgerWriter on files in a sandbox, the fake VOD over
/// real HTTP (checking every signature), the first job submitted through `vodhook submit`'s runner.
/// Events are appended as the server appends a callback's, then read back as the dispatcher gives them.
final class ResubmitRig: Sendable {
    let sandbox: ProcessSandbox
    let dataDir: String
    let state: FakeVODState
    let client: VODClient
    private let open = Mutex<(writer: LedgerWriter, ledger: LiveResubmitLedger)?>(nil)
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let media = "4fefd4f434d07c2005373156a727d707"
    static let config = #"{"AIVideoTag":{"AnalyseTypes":"ASR,OCR"}}"#
    static let userData = #"{"Extend":{"localId":"42"}}"#

    private init(sandbox: ProcessSandbox, state: FakeVODState, client: VODClient) throws {
        self.sandbox = sandbox
        dataDir = sandbox.file("data")
        self.state = state
        self.client = client
        try reopen()
    }

    /// Runs `body` with a rig over a fresh sandbox and fake VOD; closes and removes all after.
    static func with(_ body: @Sendable (ResubmitRig) async throws -> Void) async throws {
        try await VODClientSupport.withFake(issued: [VODClientSupport.credentials]) { state, endpoint, http in
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let rig = try ResubmitRig(sandbox: sandbox, state: state, client: VODClientSupport.client(endpoint, http))
            do {
                try await body(rig)
            } catch {
                await rig.writer.close()
                throw error
            }
            await rig.writer.close()
        }
    }

    var writer: LedgerWriter { open.withLock { $0!.writer } }
    var ledger: LiveResubmitLedger { open.withLock { $0!.ledger } }

    /// A restart: a new writer on the same files, as serve opens it (from the checkpoint its clean
    /// close wrote), under a new handler state (nothing of the old process's memory survives).
    func restart() async throws {
        await writer.close()
        try reopen()
    }

    private func reopen() throws {
        let writer = try LedgerWriter(
            locked: try LedgerWriter.lock(dataDir: dataDir), dataDir: dataDir, logger: Self.logger, checkpoints: true)
        let ledger = LiveResubmitLedger(
            sink: DirectLedgerSink(writer: writer, dataDir: dataDir), dataDir: dataDir, writer: writer)
        open.withLock { $0 = (writer, ledger) }
    }

    func handler(
        maxAttempts: Int = 3, confirm: Bool = true, backoff: Duration = .zero,
        now: @escaping @Sendable () -> Int64 = WallClock.milliseconds,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { _ in }
    ) -> ResubmitHandler {
        ResubmitHandler(
            name: "retry", action: ResubmitAction(maxAttempts: maxAttempts, backoff: backoff, confirm: confirm),
            client: client, ledger: ledger, logger: Self.logger, now: now, sleep: sleep)
    }

    /// The first job, submitted as `vodhook submit` does.
    func submitFirst() async throws -> String {
        let item = SubmitItem(mediaId: Self.media, types: ["AIVideoTag"], aiConfig: Self.config, userData: Self.userData)
        let runner = SubmitRunner(
            client: client, sink: DirectLedgerSink(writer: writer, dataDir: dataDir), rate: 10, concurrency: 1)
        let summary = await runner.run([item], stop: StopFlag())
        return try #require(summary.records.first?.jobId)
    }

    /// Appends an AI event as a callback's, and returns it as the dispatcher hands it over.
    func event(_ jobId: String, status: String) async throws -> HandlerEvent {
        let body = Array(
            (#"{"EventTime":"2026-12-03T10:00:00Z","EventType":"AIVideoTagComplete","JobId":"\#(jobId)","#
                + #""MediaId":"\#(Self.media)","Status":"\#(status)","Code":"\#(status == "fail" ? "InternalError" : "0")"}"#)
                .utf8)
        let seq = try await writer.append(.event(EventRecord(envelope: try EventParser.envelope(of: body), body: body))).seq
        return HandlerEvent(entry: try entry(seq), body: body, attempt: 1)
    }

    func entry(_ seq: UInt64) throws -> LedgerEntry {
        let line = try #require(try LedgerReader(dataDir: dataDir).line(seq: seq))
        return try LedgerLine.decode(line)
    }

    /// Every line, read back from the files.
    func entries() throws -> [LedgerEntry] {
        var entries: [LedgerEntry] = []
        try LedgerReader(dataDir: dataDir).forEachLine { line in
            if line.terminated { entries.append(try LedgerLine.decode(line.bytes)) }
        }
        return entries
    }

    /// The `submitted` lines with their config and user data.
    func submissions() throws -> [SubmissionRecord] {
        try entries().filter { $0.kind == .submitted }.map {
            try #require(try LedgerReader(dataDir: dataDir).submission(seq: $0.seq))
        }
    }

    /// The accepted JobIds, in ledger order.
    func acceptedJobs() throws -> [String] {
        try entries().filter { $0.kind == .submitted && $0.outcome == .accepted }.compactMap(\.jobId)
    }
}
