/// How one run of an `exec` handler's program ended, and what it wrote.
public struct ExecReport: Sendable, Hashable {
    /// How the program (the group's leader) ended.
    public enum Termination: Sendable, Hashable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// The timeout that stopped it, and whether SIGKILL was needed after SIGTERM.
    public struct TimeoutStop: Sendable, Hashable {
        public var after: Duration
        public var killed: Bool

        public init(after: Duration, killed: Bool) {
            self.after = after
            self.killed = killed
        }
    }

    public var termination: Termination
    /// Set when the program was still running at the timeout.
    public var timeout: TimeoutStop?
    /// Processes of its group still running when it exited were stopped (SIGTERM, then SIGKILL
    /// after the grace) so that no run leaves anything behind.
    public var stoppedLeftovers = false
    public var stdout: OutputTail
    public var stderr: OutputTail

    public init(termination: Termination, stdout: OutputTail, stderr: OutputTail) {
        self.termination = termination
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Exit 0 within the timeout is success; anything else is a failure, retried by the dispatcher.
    public var failure: ExecFailure? {
        if let timeout { return .timedOut(after: timeout.after, killed: timeout.killed) }
        switch termination {
        case .exited(0): return nil
        case .exited(let status): return .exited(status)
        case .signaled(let signal): return .signaled(signal)
        }
    }

    /// `exit 0`, `exit 1`, `signal 9`: how the program itself ended.
    public var ending: String {
        switch termination {
        case .exited(let status): "exit \(status)"
        case .signaled(let signal): "signal \(signal)"
        }
    }
}
