public import Logging
public import ServiceLifecycle

/// The services that act on the ledger's lines (the dispatcher, reconcile rounds): built once
/// the ledger is open, because they start from the writer's state, and run as one group.
///
/// Placed right after ``LedgerOpener`` in serve's group, which stops in reverse: at graceful
/// shutdown they stop (handlers finish their runs) before the writer closes.
public struct LedgerServices: Service {
    private let gate: LedgerGate
    private let make: @Sendable (LedgerWriter) -> [any Service]
    private let logger: Logger

    public init(gate: LedgerGate, logger: Logger, make: @escaping @Sendable (LedgerWriter) -> [any Service]) {
        self.gate = gate
        self.logger = logger
        self.make = make
    }

    public func run() async throws {
        let gate = gate
        // A shutdown while the ledger still opens: nothing was started, nothing to stop.
        guard let writer = await cancelWhenGracefulShutdown({ await gate.opened() }) else { return }
        let services = make(writer)
        // A service of serve's group that returns early ends the server: wait like the others.
        guard !services.isEmpty else { return try await gracefulShutdown() }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        try await withGracefulShutdownHandler {
            try await group.run()
        } onGracefulShutdown: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
