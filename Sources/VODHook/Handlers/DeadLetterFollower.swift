public import Logging
public import VODHookCore

/// The dead letters kept current for a reader (the dashboard, `vodhook dead`): the first
/// ``poll()`` starts from ``DeadLetterFile`` and reads only the lines after it; without a file
/// that reads, it folds the whole ledger, and says so in a log line. Each later poll reads only
/// the lines appended since.
public final class DeadLetterFollower {
    public let dataDir: String
    let logger: Logger?
    private var letters = DeadLetters()
    private var follower: LedgerFollower?
    /// Lines after the file that are not ledger objects.
    public private(set) var unreadable = 0

    /// - Parameter logger: where the full read is announced; nil says nothing.
    public init(dataDir: String, logger: Logger?) {
        self.dataDir = dataDir
        self.logger = logger
    }

    /// The letters with every line written so far folded in, each with its event's fields.
    public func poll() throws -> DeadLetters {
        let follower = try self.follower ?? start()
        self.follower = follower
        try follower.poll { _, entry in
            guard let entry else {
                unreadable += 1
                return
            }
            letters.absorb(entry)
        }
        try letters.resolveEvents(dataDir: dataDir)
        return letters
    }

    private func start() throws -> LedgerFollower {
        switch DeadLetterFile.read(dataDir: dataDir) {
        case .letters(let saved):
            letters = saved
            return try LedgerFollower(dataDir: dataDir, start: .seq(saved.through + 1))
        case .none(let why):
            logger?.notice(
                "reading the whole ledger for the dead letters",
                metadata: [
                    "reason": "\(why)", "hint": "the dispatcher keeps \(DeadLetterFile.name) while handlers are configured",
                ])
            return try LedgerFollower(dataDir: dataDir, start: .seq(0))
        }
    }
}
