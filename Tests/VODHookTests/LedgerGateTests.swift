import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VODHook

/// serve binds before its ledger is read: what waits for the writer, and what stops before it closes.
@Suite("Ledger gate")
struct LedgerGateTests {
    @Test("waiters go on when the ledger opens, with the writer; a rotate size reloaded meanwhile is applied")
    func waitersGetTheWriter() async throws {
        let dir = TemporaryDataDir()
        let gate = LedgerGate()
        #expect(gate.current == nil)
        async let first = gate.opened()
        async let second = gate.opened()
        gate.setRotateSize(4_096)
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        gate.open(writer)
        let (one, two) = await (first, second)
        #expect(one === writer && two === writer)
        #expect(await gate.opened() === writer, "a waiter after the opening gets it at once")
        #expect(writer.rotateSize == 4_096)
        await writer.close()
    }

    @Test("a waiter cancelled before the opening gets nil and is forgotten")
    func cancelledWaiter() async throws {
        let gate = LedgerGate()
        let waiter = Task { await gate.opened() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        #expect(await waiter.value == nil)
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        gate.open(writer)  // must not resume the cancelled waiter a second time
        await writer.close()
    }

    @Test("the ledger's services are built from the opened writer, and stop at graceful shutdown")
    func servicesRunAfterOpening() async throws {
        let dir = TemporaryDataDir()
        let gate = LedgerGate()
        let seen = Mutex<[ObjectIdentifier]>([])
        let stopped = Flag()
        let services = LedgerServices(gate: gate, logger: LedgerFixtures.logger) { writer in
            seen.withLock { $0.append(ObjectIdentifier(writer)) }
            return [Waiting(stopped: stopped)]
        }
        let group = ServiceGroup(configuration: .init(services: [services], logger: LedgerFixtures.logger))
        let running = Task { try await group.run() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(seen.withLock { $0.isEmpty }, "nothing is built before the ledger opens")
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        gate.open(writer)
        while seen.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(seen.withLock { $0 } == [ObjectIdentifier(writer)])
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(stopped.value.withLock { $0 }, "the inner service saw the graceful shutdown")
        await writer.close()
    }

    @Test("a shutdown while the ledger still opens ends the services without building them")
    func shutdownBeforeOpening() async throws {
        let built = Mutex(false)
        let services = LedgerServices(gate: LedgerGate(), logger: LedgerFixtures.logger) { _ in
            built.withLock { $0 = true }
            return []
        }
        let group = ServiceGroup(configuration: .init(services: [services], logger: LedgerFixtures.logger))
        let running = Task { try await group.run() }
        try await Task.sleep(for: .milliseconds(50))
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(!built.withLock { $0 })
    }

    @Test("a countdown acts once, on the last of its calls")
    func countdown() {
        let fired = Mutex(0)
        let countdown = Countdown(2) { fired.withLock { $0 += 1 } }
        countdown.done()
        #expect(fired.withLock { $0 } == 0)
        countdown.done()
        countdown.done()
        #expect(fired.withLock { $0 } == 1)
    }

    final class Flag: Sendable {
        let value = Mutex(false)
    }

    /// Runs until graceful shutdown, then says so.
    struct Waiting: Service {
        let stopped: Flag
        func run() async throws {
            try? await gracefulShutdown()
            stopped.value.withLock { $0 = true }
        }
    }
}
