import Foundation
import Logging
import ServiceLifecycle
import Testing
import VODHook
import VODHookCore

/// A restart of the dispatcher reads the ledger from the handlers' marks, and still owes what it owed.
@Suite("Dispatch marks across restarts")
struct DispatchMarksTests {
    typealias Journal = DispatcherTests.Journal
    typealias Recording = DispatcherTests.Recording

    /// A writer and a dispatcher over `dataDir` until `body` returns, then a graceful shutdown;
    /// returns the dispatcher's "read the ledger" log line's metadata.
    @discardableResult
    static func run(
        _ dataDir: String, _ handlers: [HandlerRegistration], _ body: (LedgerWriter) async throws -> Void
    ) async throws -> [String: String] {
        let log = RecordedLog()
        let writer = try LedgerWriter(dataDir: dataDir, rotateSize: 2_048, logger: LedgerFixtures.logger)
        let dispatcher = Dispatcher(handlers: handlers, writer: writer, logger: log.logger, grace: .milliseconds(300))
        let group = ServiceGroup(configuration: .init(services: [writer, dispatcher], logger: LedgerFixtures.logger))
        let running = Task { try await group.run() }
        do {
            try await body(writer)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
        return try #require(log.all.first { $0.message == "dispatcher read the ledger" }).metadata
    }

    static func handler(
        _ name: String, _ journal: Journal, match: HandlerMatch = HandlerMatch(), failures: Int = 0,
        backoff: Duration = .milliseconds(10)
    )
        -> HandlerRegistration
    {
        HandlerRegistration(
            name: name, match: match, retry: Backoff(base: backoff, cap: backoff, maxAttempts: 5),
            handler: Recording(name: name, journal: journal, failures: failures))
    }

    @Test("a restart reads from the lowest mark: settled events are not read again, a failed one below them is still owed")
    func restartFromMarks() async throws {
        let dir = TemporaryDataDir()
        let first = Journal()
        var seqs: [UInt64] = []
        let flaky = HandlerMatch(mediaPrefix: "m-job-flaky")
        // Run 1: "ok" takes every event; "flaky" fails its one event and waits ten minutes to retry.
        let firstLog = try await Self.run(
            dir.path,
            [Self.handler("ok", first), Self.handler("flaky", first, match: flaky, failures: 1, backoff: .seconds(600))]
        ) { writer in
            for number in 0..<12 {
                let job = number == 5 ? "job-flaky" : "job-\(number)"
                seqs.append(try await writer.append(try LedgerFixtures.event(job)).seq)
            }
            #expect(try await DispatcherTests.poll { first.seen("ok") == seqs && first.seen("flaky").count == 1 })
        }
        #expect(firstLog["dispatch.from_seq"] == "1" && firstLog["dispatch.marks"] == "none")
        let marks = try #require(DispatchMarkFile.read(dataDir: dir.path))
        #expect(marks.handlers["flaky"]?.settledBelow == seqs[5], "\(marks)")
        #expect((marks.handlers["ok"]?.settledBelow ?? 0) > seqs[11], "\(marks)")

        // Run 2: the same handlers; the failed event is run again, nothing settled is.
        let second = Journal()
        let secondLog = try await Self.run(
            dir.path, [Self.handler("ok", second), Self.handler("flaky", second, match: flaky, failures: 0)]
        ) { writer in
            let late = try await writer.append(try LedgerFixtures.event("job-late")).seq
            #expect(try await DispatcherTests.poll { second.seen("ok") == [late] && second.seen("flaky") == [seqs[5]] })
        }
        #expect(secondLog["dispatch.from_seq"] == "\(seqs[5])", "\(secondLog)")
        #expect(second.seen("ok").count == 1, "settled events ran again: \(second.seen("ok"))")
    }

    @Test("a replay of an event below the mark runs it after the restart")
    func replayBelowMark() async throws {
        let dir = TemporaryDataDir()
        let first = Journal()
        var seqs: [UInt64] = []
        try await Self.run(dir.path, [Self.handler("ok", first)]) { writer in
            for number in 0..<8 { seqs.append(try await writer.append(try LedgerFixtures.event("job-\(number)")).seq) }
            #expect(try await DispatcherTests.poll { first.seen("ok") == seqs })
        }
        let second = Journal()
        let log = try await Self.run(dir.path, [Self.handler("ok", second)]) { writer in
            _ = try await writer.append(.replay(ReplayRecord(handler: "ok", eventSeq: seqs[1], jobId: "job-1")))
            #expect(try await DispatcherTests.poll { second.seen("ok") == [seqs[1]] })
        }
        #expect((UInt64(log["dispatch.from_seq"] ?? "") ?? 0) > seqs[7], "\(log)")
    }

    @Test("a handler whose match changed, or a new one, starts from the first line")
    func changedMatchReadsAll() async throws {
        let dir = TemporaryDataDir()
        let first = Journal()
        var seqs: [UInt64] = []
        try await Self.run(dir.path, [Self.handler("ok", first, match: HandlerMatch(statuses: ["fail"]))]) { writer in
            for number in 0..<4 { seqs.append(try await writer.append(try LedgerFixtures.event("job-\(number)")).seq) }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(first.seen("ok").isEmpty)
        // Now it takes successes: every earlier event is owed to it, as if there were no marks.
        let second = Journal()
        let log = try await Self.run(dir.path, [Self.handler("ok", second, match: HandlerMatch(statuses: ["success"]))]) {
            (_: LedgerWriter) async throws in
            #expect(try await DispatcherTests.poll { second.seen("ok") == seqs })
        }
        #expect(log["dispatch.from_seq"] == "1", "\(log)")
        let third = Journal()
        let newLog = try await Self.run(
            dir.path, [Self.handler("ok", third, match: HandlerMatch(statuses: ["success"])), Self.handler("new", third)]
        ) { (_: LedgerWriter) async throws in
            #expect(try await DispatcherTests.poll { third.seen("new") == seqs })
        }
        #expect(newLog["dispatch.from_seq"] == "1", "\(newLog)")
        #expect(third.seen("ok").isEmpty)
    }
}
