import Foundation
public import Logging
public import ServiceLifecycle
public import VODHookCore

/// `serve`'s ledger as a service: reads the ledger on a thread of its own once the service group
/// runs (the listeners are bound by then and answer 503 meanwhile), opens ``gate``, and closes
/// the writer at graceful shutdown, after the listeners have drained. A ledger that cannot be
/// opened ends the service with the error, and so the server.
public struct LedgerOpener: Service {
    public let gate: LedgerGate
    private let lock: DataDirectoryLock
    private let dataDir: String
    private let rotateSize: Int64
    private let logger: Logger
    private let checkpoints: Bool
    private let window: Int64
    private let onOpen: @Sendable () -> Void

    /// `lock` is the data directory's, already held (``LedgerWriter/lock(dataDir:)``); `onOpen`
    /// runs once the gate is open.
    public init(
        gate: LedgerGate, lock: DataDirectoryLock, dataDir: String, rotateSize: Int64, logger: Logger,
        window: Int64 = DedupWindow.defaultMilliseconds, checkpoints: Bool = true,
        onOpen: @escaping @Sendable () -> Void = {}
    ) {
        self.gate = gate
        self.lock = lock
        self.dataDir = dataDir
        self.rotateSize = rotateSize
        self.logger = logger
        self.checkpoints = checkpoints
        self.window = window
        self.onOpen = onOpen
    }

    public func run() async throws {
        let started = ContinuousClock.now
        let writer = try await open()
        gate.open(writer)
        onOpen()
        let elapsed = ContinuousClock.now - started
        logger.notice(
            "ledger open: taking callbacks",
            metadata: [
                "ledger.open_ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)"
            ])
        try? await gracefulShutdown()
        await writer.close()
    }

    /// The read blocks for as long as the ledger takes: on a thread, not on the concurrency pool.
    private func open() async throws -> LedgerWriter {
        let (lock, dataDir, rotateSize, logger, checkpoints) = (lock, dataDir, rotateSize, logger, checkpoints)
        let window = window
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result { () throws(DataDirectoryError) in
                        try LedgerWriter(
                            locked: lock, dataDir: dataDir, rotateSize: rotateSize, logger: logger, checkpoints: checkpoints,
                            window: window)
                    })
            }
            thread.name = "vodhook-ledger-open"
            thread.start()
        }
    }
}
