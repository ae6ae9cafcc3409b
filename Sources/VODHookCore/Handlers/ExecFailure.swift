/// Why a run of an `exec` handler failed: its description is the `reason` of the `handled` line
/// and of the log, so it holds the program's path at most, never an argument or a variable.
public enum ExecFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Ended with an exit status other than 0.
    case exited(Int32)
    /// Ended by a signal it did not get from vodhook (a crash, or someone's `kill`).
    case signaled(Int32)
    /// Still running at the timeout: SIGTERM to its group, and SIGKILL when something in the
    /// group outlived the grace.
    case timedOut(after: Duration, killed: Bool)
    /// Never ran: no such program, not executable, no such working directory.
    case couldNotStart(program: String, reason: String)

    public var description: String {
        switch self {
        case .exited(let status): "exit \(status)"
        case .signaled(let signal): "signal \(signal)"
        case .timedOut(let after, let killed):
            "killed after timeout \(HandlerSpec.span(after)) (\(killed ? "SIGTERM, then SIGKILL" : "SIGTERM"))"
        case .couldNotStart(let program, let reason): "cannot run \(program): \(reason)"
        }
    }
}
