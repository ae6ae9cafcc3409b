import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VODHook
import VODHookCore

/// The dispatcher in process, over a real ledger writer and data directory, with handlers that
/// record what they are given.
@Suite("Dispatcher")
struct DispatcherTests {
    /// What handlers saw, shared with the test.
    final class Journal: Sendable {
        private let state = Mutex<(seen: [String: [UInt64]], running: Int, maxRunning: Int, order: [String])>(([:], 0, 0, []))

        func started(_ handler: String, _ seq: UInt64, job: String?) {
            state.withLock {
                $0.running += 1
                $0.maxRunning = max($0.maxRunning, $0.running)
                $0.order.append("start \(job ?? "-") \(seq)")
            }
        }

        func ended(_ handler: String, _ seq: UInt64, job: String?) {
            state.withLock {
                $0.running -= 1
                $0.seen[handler, default: []].append(seq)
                $0.order.append("end \(job ?? "-") \(seq)")
            }
        }

        func seen(_ handler: String) -> [UInt64] { state.withLock { $0.seen[handler] ?? [] } }
        var maxRunning: Int { state.withLock { $0.maxRunning } }
        var order: [String] { state.withLock { $0.order } }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "disk on fire" }
    }

    /// Sleeps `delay`, then fails its first `failures` runs of each event and succeeds after.
    struct Recording: EventHandler {
        let name: String
        let journal: Journal
        var delay: Duration = .zero
        var failures = 0

        func handle(_ event: HandlerEvent) async throws {
            journal.started(name, event.entry.seq, job: event.entry.jobId)
            if delay > .zero { try await Task.sleep(for: delay) }
            journal.ended(name, event.entry.seq, job: event.entry.jobId)
            if event.attempt <= failures { throw Failure() }
        }
    }

    /// A writer and a dispatcher in a service group, shut down gracefully after `body`.
    static func withDispatcher(
        _ handlers: [HandlerRegistration], capacity: Int = Dispatcher.defaultCapacity, rotateSize: Int64 = 256 << 20,
        _ body: (LedgerWriter, String) async throws -> Void
    ) async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, rotateSize: rotateSize, logger: LedgerFixtures.logger)
        let dispatcher = Dispatcher(
            handlers: handlers, writer: writer, logger: LedgerFixtures.logger, capacity: capacity, grace: .milliseconds(300))
        let group = ServiceGroup(configuration: .init(services: [writer, dispatcher], logger: LedgerFixtures.logger))
        let running = Task { try await group.run() }
        do {
            try await body(writer, dir.path)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    static func outcomes(_ dataDir: String) throws -> [LedgerEntry] {
        var entries: [LedgerEntry] = []
        try LedgerReader(dataDir: dataDir).forEachLine { line in
            let entry = try LedgerLine.read(line.bytes)
            if entry.kind == .handled || entry.kind == .dead { entries.append(entry) }
        }
        return entries
    }

    static func poll(_ check: () throws -> Bool) async throws -> Bool {
        for _ in 0..<400 {
            if try check() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try check()
    }

    @Test("a hanging handler holds up neither another handler nor the writer; a full handler reads its events again")
    func hangingHandlerIsolated() async throws {
        let journal = Journal()
        let handlers = [
            HandlerRegistration(
                name: "stuck", match: HandlerMatch(), handler: Recording(name: "stuck", journal: journal, delay: .seconds(3600))),
            HandlerRegistration(name: "quick", match: HandlerMatch(), handler: Recording(name: "quick", journal: journal)),
        ]
        try await Self.withDispatcher(handlers, capacity: 4) { writer, dataDir in
            let records = try (0..<10).map { try LedgerFixtures.event("job\($0)") }
            let seqs = try await writer.append(records).map(\.seq)
            let later = try await writer.append(LedgerFixtures.event("later")).seq
            let all = seqs + [later]
            #expect(try await Self.poll { journal.seen("quick") == all }, "quick saw \(journal.seen("quick"))")
            #expect(
                try await Self.poll {
                    try Self.outcomes(dataDir).filter { $0.handler == "quick" && $0.result == .ok }.compactMap(\.eventSeq) == all
                })
            #expect(journal.seen("stuck").isEmpty)
        }
    }

    @Test("events of one job reach a handler in ledger order, at most max_concurrent runs at once")
    func perJobOrderAndCap() async throws {
        let journal = Journal()
        let handler = HandlerRegistration(
            name: "slow", match: HandlerMatch(), maxConcurrent: 3,
            handler: Recording(name: "slow", journal: journal, delay: .milliseconds(100)))
        try await Self.withDispatcher([handler]) { writer, _ in
            let jobs = ["A", "A", "B", "B", "C", "C", "D"]
            // Two event types per job: the same event twice would be a duplicate, written once.
            let records = try jobs.enumerated().map { index, job in
                try LedgerFixtures.event(job, type: index.isMultiple(of: 2) ? "AIVideoTagComplete" : "AIMediaDNAComplete")
            }
            let seqs = try await writer.append(records).map(\.seq)
            #expect(Set(seqs).count == jobs.count)
            #expect(try await Self.poll { journal.seen("slow").count == jobs.count })
            #expect(journal.maxRunning == 3)
            let order = journal.order
            for (job, (first, second)) in [("A", (seqs[0], seqs[1])), ("B", (seqs[2], seqs[3])), ("C", (seqs[4], seqs[5]))] {
                let firstEnd = order.firstIndex(of: "end \(job) \(first)") ?? Int.max
                let secondStart = order.firstIndex(of: "start \(job) \(second)") ?? -1
                #expect(firstEnd < secondStart, "\(order)")
            }
        }
    }

    @Test("a failing run is retried with growing attempts, then written dead; one that recovers ends ok")
    func retriesThenDead() async throws {
        let journal = Journal()
        let retry = Backoff(base: .milliseconds(20), cap: .milliseconds(50), maxAttempts: 3)
        let handlers = [
            HandlerRegistration(
                name: "broken", match: HandlerMatch(), retry: retry,
                handler: Recording(name: "broken", journal: journal, failures: .max)),
            HandlerRegistration(
                name: "flaky", match: HandlerMatch(), retry: retry,
                handler: Recording(name: "flaky", journal: journal, failures: 2)),
        ]
        try await Self.withDispatcher(handlers) { writer, dataDir in
            let seq = try await writer.append(LedgerFixtures.event("j")).seq
            #expect(
                try await Self.poll {
                    let lines = try Self.outcomes(dataDir)
                    return lines.contains { $0.kind == .dead } && lines.contains { $0.handler == "flaky" && $0.result == .ok }
                })
            let lines = try Self.outcomes(dataDir)
            let broken = lines.filter { $0.handler == "broken" }
            #expect(broken.map(\.kind) == [.handled, .handled, .handled, .dead])
            #expect(broken.compactMap(\.attempt) == [1, 2, 3] && broken.last?.attempts == 3)
            #expect(broken.allSatisfy { $0.eventSeq == seq && $0.reason == "disk on fire" })
            let flaky = lines.filter { $0.handler == "flaky" }
            #expect(flaky.map(\.result) == [.failed, .failed, .ok] && flaky.compactMap(\.attempt) == [1, 2, 3])
        }
    }

    @Test("events and bodies are followed across rotations, also when a full handler reads them again from rotated files")
    func acrossRotations() async throws {
        let journal = Journal()
        let bodies = Mutex<[UInt64: Int]>([:])
        struct Sizes: EventHandler {
            let journal: Journal
            let bodies: @Sendable (UInt64, Int) -> Void
            func handle(_ event: HandlerEvent) async throws {
                bodies(event.entry.seq, event.body.count)
                journal.ended("sizes", event.entry.seq, job: event.entry.jobId)
            }
        }
        let handler = HandlerRegistration(
            name: "sizes", match: HandlerMatch(),
            handler: Sizes(journal: journal, bodies: { seq, count in bodies.withLock { $0[seq] = count } }))
        try await Self.withDispatcher([handler], capacity: 4, rotateSize: 1024) { writer, dataDir in
            var seqs: [UInt64] = []
            var sizes: [UInt64: Int] = [:]
            for batch in 0..<6 {
                let records = try (0..<5).map { try LedgerFixtures.event("rot\(batch)x\($0)") }
                let written = try await writer.append(records).map(\.seq)
                for (seq, record) in zip(written, records) {
                    if case .event(let event) = record { sizes[seq] = event.body.count }
                }
                seqs += written
            }
            #expect(try await Self.poll { journal.seen("sizes") == seqs }, "saw \(journal.seen("sizes"))")
            #expect(bodies.withLock { $0 } == sizes)
            let rotated = try LedgerReader(dataDir: dataDir).files().filter { $0 != .live }
            #expect(rotated.count >= 3, "\(rotated)")
        }
    }
}
