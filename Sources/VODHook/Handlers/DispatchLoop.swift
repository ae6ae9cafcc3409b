import Logging
import Metrics
import VODHookCore

/// The dispatcher's state and decisions, owned by the one task that runs ``drive(_:)``: it reads
/// the ledger, starts runs, and takes their ends as ``Dispatcher/Signal``s, so nothing here is
/// shared and nothing needs a lock. Runs are tasks of their own (see DispatchLoop+Runs.swift).
final class DispatchLoop {
    struct Key: Hashable {
        let handler: Int
        let eventSeq: UInt64
    }

    let dispatcher: Dispatcher
    let signal: AsyncStream<Dispatcher.Signal>.Continuation
    let wake: WakeFlag
    let metrics: [DispatchMetrics]
    var book: DispatchBook
    let follower: DurableLedgerReader
    /// Runs and dead-line writes in flight, by handler and event.
    var tasks: [Key: Task<Void, Never>] = [:]
    var running: [Int]
    /// The step computed for an event at its current attempt count: computed once, so the jitter
    /// is drawn once per retry.
    var steps: [Key: (attempts: Int, step: DispatchBook.Step)] = [:]
    /// Events whose last outcome the ledger did not take: not run again before this (Unix ms).
    var holds: [Key: Int64] = [:]
    var timer: Task<Void, Never>?
    var timerAt: Int64?
    var stopping = false
    var readErrors = LogBudget(burst: 1, window: 60_000)
    /// The marks last written, and when (Unix ms).
    var savedMarks: DispatchMarks?
    var savedMarksAt: Int64 = 0
    /// The dead letters, folded from every line the follower delivered (and, before its start,
    /// from ``DeadLetterFile``): kept beside the marks so readers need not fold the history.
    var deadLetters: DeadLetters
    /// Why there was no dead-letters file to start from; nil when there was one.
    let deadLettersMissing: String?
    /// ``DeadLetters/through`` of the file last written.
    var savedLettersThrough: UInt64?
    /// Where the events given up are, until their `dead` lines are read back (one read each then).
    var deadPositions: [UInt64: LedgerPosition] = [:]

    static let unrecordedPause: Int64 = 5_000

    init(dispatcher: Dispatcher, signal: AsyncStream<Dispatcher.Signal>.Continuation, wake: WakeFlag) {
        self.dispatcher = dispatcher
        self.signal = signal
        self.wake = wake
        metrics = dispatcher.handlers.map { DispatchMetrics(handler: $0.name) }
        book = DispatchBook(routes: dispatcher.handlers.map(\.route), capacity: dispatcher.capacity)
        // Every event below the lowest mark is settled for every handler: not read again.
        savedMarks = DispatchMarkFile.read(dataDir: dispatcher.writer.dataDir)
        switch DeadLetterFile.read(dataDir: dispatcher.writer.dataDir) {
        case .letters(let saved):
            deadLetters = saved
            deadLettersMissing = nil
            savedLettersThrough = saved.through
        case .none(let why):
            deadLetters = DeadLetters()
            deadLettersMissing = why
        }
        // The letters must be folded from every line: from the first one without their file.
        let start = min(savedMarks?.start(for: book.routes) ?? 1, deadLetters.through + 1)
        follower = DurableLedgerReader(dataDir: dispatcher.writer.dataDir, after: start - 1)
        running = Array(repeating: 0, count: dispatcher.handlers.count)
    }

    var logger: Logger { dispatcher.logger }

    func drive(_ signals: AsyncStream<Dispatcher.Signal>) async {
        wake.lower()
        let start = follower.lastSeq + 1
        readLedger()
        logger.info(
            "dispatcher read the ledger",
            metadata: [
                "dispatch.from_seq": "\(start)", "dispatch.to_seq": "\(follower.lastSeq)",
                "dispatch.marks": "\(savedMarks == nil ? "none" : DispatchMarkFile.name)",
                "dispatch.dead_letters":
                    "\(deadLettersMissing.map { "none (\($0)): read from the first line" } ?? DeadLetterFile.name)",
            ])
        for (index, handler) in dispatcher.handlers.enumerated() {
            var metadata: Logger.Metadata = [
                "handler": "\(handler.name)", "handler.open": "\(book.openCount(handler: handler.name))",
                "handler.max_concurrent": "\(handler.maxConcurrent)",
            ]
            if let overflow = book.overflow(handler: handler.name) {
                metadata["handler.more_from_seq"] = "\(overflow.eventSeq)"  // more than the capacity are open
            }
            logger.info("handler ready: dispatching its open events", metadata: metadata)
            metrics[index].backlog.record(book.openCount(handler: handler.name))
        }
        advance()
        for await received in signals {
            switch received {
            case .durable:
                wake.lower()
                readLedger()
            case .timer:
                timerAt = nil
            case .finished(let finished):
                finish(finished)
            case .shutdown:
                stopping = true
                timer?.cancel()
                if tasks.isEmpty { return }
                logger.info(
                    "waiting for handler runs in flight",
                    metadata: [
                        "handler.runs": "\(tasks.count)", "grace_seconds": "\(dispatcher.grace.components.seconds)",
                    ])
                let grace = dispatcher.grace
                let signal = signal
                timer = Task {
                    try? await Task.sleep(for: grace)
                    signal.yield(.graceOver)
                }
            case .graceOver:
                interrupt()
                return
            }
            if stopping {
                if tasks.isEmpty {
                    timer?.cancel()
                    return
                }
                continue
            }
            advance()
        }
        // Cancelled (the service group is going down without a graceful shutdown).
        interrupt()
    }

    /// Catch-ups, runs to start, the backlog gauges, the marks.
    private func advance() {
        catchUp()
        schedule()
        for (index, handler) in dispatcher.handlers.enumerated() {
            metrics[index].backlog.record(book.openCount(handler: handler.name))
        }
        saveMarks(final: false)
    }

    /// Writes the marks and the dead letters when they moved, at most every ``marksInterval``
    /// (and at the end): a crash loses at most that much progress, which the next start reads
    /// again. Either file failing is only logged: both are shortcuts.
    func saveMarks(final: Bool) {
        let now = dispatcher.now()
        guard final || now - savedMarksAt >= Self.marksInterval else { return }
        let marks = book.marks(nextUnread: follower.lastSeq + 1)
        let marksMoved = marks != savedMarks
        // The letters change only with a line read, so a moved `through` says all.
        let lettersMoved = deadLetters.through != savedLettersThrough
        guard marksMoved || lettersMoved else { return }
        savedMarksAt = now  // tried: not again before the interval, even after a failure
        let dataDir = dispatcher.writer.dataDir
        if marksMoved {
            do {
                try DispatchMarkFile.write(marks, dataDir: dataDir)
                savedMarks = marks
            } catch {
                logger.warning(
                    "cannot write the dispatch marks; the next start reads more of the ledger", metadata: ["error": "\(error)"])
            }
        }
        if lettersMoved {
            do {
                try DeadLetterFile.write(deadLetters, dataDir: dataDir)
                savedLettersThrough = deadLetters.through
            } catch {
                logger.warning(
                    "cannot write the dead letters; readers of them read more of the ledger", metadata: ["error": "\(error)"])
            }
        }
    }

    static let marksInterval: Int64 = 5_000

    /// Absorbs every line made durable since the last read.
    private func readLedger() {
        var died = false
        do {
            _ = try follower.read(to: dispatcher.writer.durableEnd) { entry, position in
                book.absorb(entry, at: position)
                deadLetters.absorb(entry)
                died = died || entry.kind == .dead
                return true
            }
        } catch {
            readFailed(error)
        }
        guard died else { return }
        let seqs = deadLetters.unresolved
        do {
            try deadLetters.resolveEvents(dataDir: dispatcher.writer.dataDir, positions: deadPositions)
            for seq in seqs { deadPositions[seq] = nil }
        } catch {
            readFailed(error)  // the file keeps the letter without its event; a reader looks it up
        }
    }

    /// Reads again the events of handlers whose backlog has drained below half the capacity.
    private func catchUp() {
        for handler in dispatcher.handlers {
            let name = handler.name
            guard let overflow = book.overflow(handler: name), book.openCount(handler: name) <= dispatcher.capacity / 2 else {
                continue
            }
            let reader = DurableLedgerReader(
                dataDir: dispatcher.writer.dataDir, after: overflow.eventSeq - 1, hint: overflow.position)
            do {
                let complete = try reader.read(to: dispatcher.writer.durableEnd, through: follower.lastSeq) { entry, position in
                    book.absorb(entry, at: position, catchingUp: name)
                }
                if complete { book.caughtUp(handler: name) }
            } catch {
                readFailed(error)
            }
        }
    }

    private func readFailed(_ error: any Error) {
        let (log, unlogged) = readErrors.take(now: dispatcher.now())
        guard log else { return }
        logger.error(
            "cannot read the ledger for handlers; trying again at the next write",
            metadata: [
                "error": "\(error)", "unlogged": "\(unlogged)",
            ])
    }

    /// Starts what may start: for each handler with a free slot, its runnable events that are due.
    private func schedule() {
        let now = dispatcher.now()
        var earliest: Int64?
        for (index, handler) in dispatcher.handlers.enumerated() {
            var free = handler.maxConcurrent - running[index]
            guard free > 0 else { continue }
            for item in book.runnable(handler: handler.name) {
                guard free > 0 else { break }
                let key = Key(handler: index, eventSeq: item.eventSeq)
                guard tasks[key] == nil else { continue }
                switch step(key, item, now: now) {
                case .giveUp(let dead):
                    if let position = item.position { deadPositions[item.eventSeq] = position }
                    startDead(key, dead)
                case .run(let attempt, let notBefore):
                    if notBefore <= now {
                        startRun(key, item, attempt: attempt)
                        free -= 1
                    } else {
                        earliest = min(earliest ?? notBefore, notBefore)
                    }
                }
            }
        }
        arm(at: earliest, now: now)
    }

    private func step(_ key: Key, _ item: DispatchBook.Open, now: Int64) -> DispatchBook.Step {
        var step: DispatchBook.Step
        if let cached = steps[key], cached.attempts == item.attemptsMade {
            step = cached.step
        } else {
            step = book.next(item, now: now)
            steps[key] = (item.attemptsMade, step)
        }
        if let hold = holds[key], case .run(let attempt, let notBefore) = step {
            if hold <= now { holds[key] = nil }
            step = .run(attempt: attempt, notBefore: max(notBefore, hold))
        }
        return step
    }

    private func arm(at: Int64?, now: Int64) {
        guard let at else { return }
        if let timerAt, timerAt <= at { return }
        timer?.cancel()
        timerAt = at
        let signal = signal
        let delay = max(0, at - now)
        timer = Task {
            do {
                try await Task.sleep(for: .milliseconds(delay))
                signal.yield(.timer)
            } catch {}  // cancelled: a sooner timer replaced it
        }
    }

    private func finish(_ finished: Dispatcher.Finished) {
        let key = Key(handler: finished.handler, eventSeq: finished.eventSeq)
        guard tasks.removeValue(forKey: key) != nil else { return }
        running[finished.handler] -= 1
        steps[key] = nil
        if let entry = finished.recorded {
            book.absorb(entry)
        } else if !finished.interrupted {
            holds[key] = dispatcher.now() + Self.unrecordedPause
        }
    }

    /// Shutdown's grace is over (or the group is cancelled): runs still going are cancelled and
    /// not recorded, so they run again at the next start.
    private func interrupt() {
        timer?.cancel()
        guard !tasks.isEmpty else { return }
        logger.warning(
            "handler runs did not end within the shutdown grace; they run again at the next start",
            metadata: [
                "handler.runs": "\(tasks.count)"
            ])
        for task in tasks.values { task.cancel() }
        tasks.removeAll()
    }
}
