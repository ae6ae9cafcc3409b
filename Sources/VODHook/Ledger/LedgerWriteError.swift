/// Why an append did not become durable. The server answers 503 to all of them: VOD retries.
public enum LedgerWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The writer is shutting down or has stopped.
    case closed
    /// A system call failed; `operation` names it (`write`, `fdatasync`, …).
    case io(operation: String, errno: Int32)

    /// A failed call on the ledger's own files: the path is known, the call and errno are what matter.
    init(_ error: SystemError) {
        self = .io(operation: error.operation, errno: error.errno)
    }

    public var description: String {
        switch self {
        case .closed: "the ledger is closed"
        case .io(let operation, let errno): "\(operation) failed: \(SystemError.message(errno))"
        }
    }
}
