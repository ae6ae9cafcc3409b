import Synchronization
public import VODHookCore

/// The ledger writer once it is open. `serve` binds its listeners before it reads the ledger (a
/// start-up that reads millions of lines must not refuse VOD's connections meanwhile): until
/// ``open(_:)`` the gate is empty, and callbacks, the control socket and `/readyz` answer 503,
/// while the parts that act on the ledger's lines (dispatcher, reconcile) wait in ``opened()``.
public final class LedgerGate: Sendable {
    private struct State {
        var writer: LedgerWriter?
        /// A reload's rotate size that came before the writer did.
        var rotateSize: Int64?
        var waiters: [UInt64: CheckedContinuation<LedgerWriter?, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }
    private let state: Mutex<State>

    /// Empty: the ledger is still opening.
    public init() { state = Mutex(State()) }

    /// Already open (tests, and servers built around an open writer).
    public init(_ writer: LedgerWriter) { state = Mutex(State(writer: writer)) }

    /// The writer, or nil while the ledger is opening.
    public var current: LedgerWriter? { state.withLock { $0.writer } }

    /// The ledger is read: from now on appends go to `opened`, and the waiters go on.
    public func open(_ opened: LedgerWriter) {
        let waiters = state.withLock { state in
            state.writer = opened
            if let size = state.rotateSize { opened.setRotateSize(size) }
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume(returning: opened) }
    }

    /// The writer once the ledger is open; nil if the task is cancelled first.
    public func opened() async -> LedgerWriter? {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: LedgerWriter?? = state.withLock { state in
                    if let writer = state.writer { return .some(writer) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// A reload's `rotate_size`: for the writer, or for the writer to come.
    public func setRotateSize(_ size: Int64) {
        state.withLock { state in
            state.rotateSize = size
            state.writer?.setRotateSize(size)
        }
    }

    /// Seconds a client is told to wait (`Retry-After`) while the ledger opens.
    public static let retryAfterSeconds = 2
}

/// A sink for a server's own appends (its reconcile rounds) that fails, never waits, while the
/// ledger is opening: the round is tried again at its next interval.
public struct GatedLedgerSink: LedgerSink {
    public let gate: LedgerGate
    public let dataDir: String

    public init(gate: LedgerGate, dataDir: String) {
        self.gate = gate
        self.dataDir = dataDir
    }

    public func append(_ records: [LedgerRecord]) async throws -> [LedgerWriter.Outcome] {
        guard let writer = gate.current else { throw LedgerSinkError("the ledger in \(dataDir) is still opening; not recorded") }
        return try await writer.append(records)
    }

    /// The server closes its writer itself, after its listeners.
    public func close() async {}

    public var description: String { "the ledger in \(dataDir)" }
}
