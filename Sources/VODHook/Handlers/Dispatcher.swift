public import Logging
public import ServiceLifecycle
import Synchronization
import VODHookCore

/// Runs the handlers on every event they match, from the ledger, never on the request path.
///
/// At start it reads the ledger into a ``DispatchBook`` (what each handler still owes), from the
/// lowest of the handlers' ``DispatchMarks`` (from the first line without them), then follows
/// the lines the ``LedgerWriter`` makes durable. Each run's end is a `handled` line,
/// a handler out of retries a `dead` line, both appended through the writer, so the ledger alone
/// says what is left to do after a crash: at least once, never exactly once.
///
/// Each handler has its own slots (``HandlerRegistration/maxConcurrent``); a hanging handler
/// fills its own and delays no other, and ingestion never waits for a handler. Events of one
/// JobId reach a handler in ledger order. On graceful shutdown no run starts; runs in flight get
/// ``grace`` to end and have their outcomes recorded (ServiceGroup stops it before the writer).
public final class Dispatcher: Service {
    /// Open events held per handler; past it, a handler's events are read again from the
    /// ledger once its backlog has drained.
    public static let defaultCapacity = 4096
    public static let defaultGrace = Duration.seconds(20)

    let handlers: [HandlerRegistration]
    let writer: LedgerWriter
    let logger: Logger
    let capacity: Int
    let grace: Duration
    let now: @Sendable () -> Int64

    /// - Parameter now: wall-clock Unix milliseconds (the ledger's `at`, from which backoff counts).
    public init(
        handlers: [HandlerRegistration], writer: LedgerWriter, logger: Logger, capacity: Int = defaultCapacity,
        grace: Duration = defaultGrace, now: @escaping @Sendable () -> Int64 = WallClock.milliseconds
    ) {
        self.handlers = handlers
        self.writer = writer
        self.logger = logger
        self.capacity = max(2, capacity)
        self.grace = grace
        self.now = now
    }

    /// What wakes the dispatch loop.
    enum Signal: Sendable {
        /// The writer made more lines durable.
        case durable
        /// A retry's backoff has passed.
        case timer
        case finished(Finished)
        case shutdown
        case graceOver
    }

    /// A run (or a dead line's write) ended.
    struct Finished: Sendable {
        let handler: Int
        let eventSeq: UInt64
        /// The `handled` or `dead` line as written; nil if the ledger did not take it.
        let recorded: LedgerEntry?
        /// Cut short by shutdown: nothing recorded, run again at the next start.
        let interrupted: Bool
    }

    public func run() async throws {
        let (signals, signal) = AsyncStream.makeStream(of: Signal.self)
        let wake = WakeFlag()
        writer.onDurable {
            if wake.raise() { signal.yield(.durable) }
        }
        let loop = DispatchLoop(dispatcher: self, signal: signal, wake: wake)
        await withGracefulShutdownHandler {
            await loop.drive(signals)
        } onGracefulShutdown: {
            signal.yield(.shutdown)
        }
        loop.saveMarks(final: true)
    }
}

/// Coalesces the writer's wake-ups: one is pending at most, however many batches are written
/// while the loop reads.
final class WakeFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// True if it was not raised already (the caller signals then).
    func raise() -> Bool { !raised.exchange(true, ordering: .acquiringAndReleasing) }

    func lower() { raised.store(false, ordering: .releasing) }
}
