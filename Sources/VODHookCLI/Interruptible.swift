import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs a command's work so that Ctrl-C (SIGINT) and SIGTERM stop it cleanly: ServiceGroup turns
/// the first into a graceful shutdown, which runs `onStop`; the work then starts nothing new and
/// returns what it finished. A second Ctrl-C or SIGTERM exits at once with 130.
enum Interruptible {
    /// `label` names the group's logger, which says only warnings: the command reports what matters.
    static func run<Value: Sendable>(
        label: String,
        onStop: @escaping @Sendable () -> Void,
        _ work: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let result = ResultBox<Value>()
        let worker = ClosureService {
            await withGracefulShutdownHandler {
                do {
                    result.set(.success(try await work()))
                } catch {
                    result.set(.failure(error))
                }
            } onGracefulShutdown: {
                onStop()
            }
        }
        // Trapped before the group starts, so that it counts the first signal too.
        let quit = QuitOnSecondSignal(signals: await UnixSignalsSequence(trapping: .sigint, .sigterm))
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    // Shut down last (the group goes in reverse), so it listens while the work winds down.
                    .init(service: quit),
                    .init(
                        service: worker, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigint, .sigterm],
                logger: logger))
        try await group.run()
        guard let outcome = result.get() else { throw CancellationError() }
        return try outcome.get()
    }

    private final class ResultBox<Value: Sendable>: Sendable {
        private let value = Mutex<Result<Value, any Error>?>(nil)

        func set(_ result: Result<Value, any Error>) { value.withLock { $0 = result } }
        func get() -> Result<Value, any Error>? { value.withLock { $0 } }
    }
}

/// The second Ctrl-C: kept by hand because ServiceGroup listens for one graceful-shutdown signal
/// only, and refuses a signal that is both a graceful-shutdown and a cancellation signal. Every
/// trapped signal reaches both its sequence and this one.
private struct QuitOnSecondSignal: Service {
    let signals: UnixSignalsSequence

    func run() async {
        var seen = 0
        for await _ in signals.cancelOnGracefulShutdown() {
            seen += 1
            // The calls still in flight are left unrecorded: their `sending` lines, already
            // durable, make a rerun treat them as outcome unknown.
            if seen == 2 { exit(130) }
        }
    }
}
