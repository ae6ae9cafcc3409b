import Synchronization
public import VODHookCore

/// The ledger writer once it is open. `serve` binds its listeners before it reads the ledger (a
/// start-up that reads millions of lines must not refuse VOD's connections meanwhile): until
/// ``open(_:)`` the gate is empty, and callbacks, the control socket and `/readyz` answer 503.
public final class LedgerGate: Sendable {
    private let writer: Mutex<LedgerWriter?>

    /// Empty: the ledger is still opening.
    public init() { writer = Mutex(nil) }

    /// Already open (tests, and servers built around an open writer).
    public init(_ writer: LedgerWriter) { self.writer = Mutex(writer) }

    /// The writer, or nil while the ledger is opening.
    public var current: LedgerWriter? { writer.withLock { $0 } }

    /// The ledger is read: from now on appends go to `opened`.
    public func open(_ opened: LedgerWriter) { writer.withLock { $0 = opened } }

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
