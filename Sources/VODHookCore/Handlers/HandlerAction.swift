/// What a handler does with an event it matches: exactly one of these per handler.
public enum HandlerAction: Sendable, Hashable {
    case write(WriteAction)
    case exec(ExecAction)
    case resubmit(ResubmitAction)

    /// The config key that declares it.
    public var keyword: String {
        switch self {
        case .write: "write"
        case .exec: "exec"
        case .resubmit: "resubmit"
        }
    }
}

/// `write`: the event saved as a file under ``dir``.
public struct WriteAction: Sendable, Hashable {
    /// What the file holds.
    public enum Content: String, Sendable, Hashable, CaseIterable {
        /// The event body as VOD sent it.
        case raw
        /// The decoded result (tags, DNA matches, audit) as JSON.
        case result
    }

    /// The directory every file goes under; nothing is ever written outside it.
    public var dir: String
    public var content: Content
    /// The file's path under ``dir``.
    public var template: PathTemplate

    public init(dir: String, content: Content = .raw, template: PathTemplate = .standard) {
        self.dir = dir
        self.content = content
        self.template = template
    }
}

/// `exec`: a program run with an argv list (no shell), the event JSON on stdin.
public struct ExecAction: Sendable, Hashable {
    /// `argv[0]` is an absolute path (no `PATH` search); placeholders are filled per event.
    public var argv: [FieldTemplate]
    /// Then SIGTERM to the program's whole process group, and SIGKILL ``killAfter`` later.
    public var timeout: Duration
    /// The grace between SIGTERM and SIGKILL, at the timeout and for what the program leaves
    /// running in its group when it exits.
    public var killAfter: Duration
    /// Runs of this handler at once.
    public var maxConcurrent: Int
    /// Variables set to a fixed value (`env: {NAME: value}`).
    public var fixedEnvironment: [String: String]
    /// Variables passed through from vodhook's own environment (`env: [NAME, …]`).
    public var inheritedEnvironment: [String]
    /// The working directory; nil is `/`.
    public var cwd: String?
    /// Bytes of stdout and of stderr kept for the log; the rest is read and dropped.
    public var outputCap: Int

    public static let defaultTimeout = Duration.seconds(30)
    public static let defaultOutputCap = 64 * 1024
    public static let defaultKillAfter = Duration.seconds(5)

    public init(
        argv: [FieldTemplate], timeout: Duration = defaultTimeout, killAfter: Duration = defaultKillAfter, maxConcurrent: Int = 1,
        fixedEnvironment: [String: String] = [:], inheritedEnvironment: [String] = [], cwd: String? = nil,
        outputCap: Int = defaultOutputCap
    ) {
        self.argv = argv
        self.timeout = timeout
        self.killAfter = killAfter
        self.maxConcurrent = maxConcurrent
        self.fixedEnvironment = fixedEnvironment
        self.inheritedEnvironment = inheritedEnvironment
        self.cwd = cwd
        self.outputCap = outputCap
    }
}

/// `resubmit`: a failed AI job submitted again, up to ``maxAttempts`` jobs per chain.
public struct ResubmitAction: Sendable, Hashable {
    /// Jobs per chain, the first included.
    public var maxAttempts: Int
    /// The wait before each new job.
    public var backoff: Duration
    /// Ask ListAIJob first: VOD does not sign the body, so a "fail" may be forged.
    public var confirm: Bool

    public init(maxAttempts: Int = 3, backoff: Duration = .seconds(60), confirm: Bool = true) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.confirm = confirm
    }
}
