import Logging
import Metrics
import VODHookCore

/// A handler could not be given its event.
struct EventLineMissing: Error, CustomStringConvertible {
    let seq: UInt64
    var description: String { "the line of event \(seq) is not in the data directory (archived?)" }
}

/// What a run's task takes along from the loop: only Sendable values, nothing of its state.
struct RunContext: Sendable {
    let writer: LedgerWriter
    let logger: Logger
    let metrics: DispatchMetrics
    let signal: AsyncStream<Dispatcher.Signal>.Continuation
    let now: @Sendable () -> Int64

    func finished(_ key: DispatchLoop.Key, recorded: LedgerEntry?, interrupted: Bool = false) {
        signal.yield(.finished(.init(handler: key.handler, eventSeq: key.eventSeq, recorded: recorded, interrupted: interrupted)))
    }
}

extension DispatchLoop {
    /// Takes a slot of the key's handler for a task.
    private func takeSlot(_ key: Key) -> RunContext {
        running[key.handler] += 1
        return RunContext(
            writer: dispatcher.writer, logger: logger, metrics: metrics[key.handler], signal: signal, now: dispatcher.now)
    }

    /// Starts one run as a task of its own: it reads the event's line, calls the handler, appends
    /// the `handled` line and signals its end. Not a child task: a handler that ignores
    /// cancellation must not hold shutdown past its grace.
    func startRun(_ key: Key, _ item: DispatchBook.Open, attempt: Int) {
        let registration = dispatcher.handlers[key.handler]
        let context = takeSlot(key)
        tasks[key] = Task {
            let clock = ContinuousClock()
            let started = clock.now
            var reason: String?
            do {
                guard
                    let event = try LedgerEventLookup.event(
                        dataDir: context.writer.dataDir, seq: key.eventSeq, position: item.position)
                else {
                    throw EventLineMissing(seq: key.eventSeq)
                }
                // Only a `replay` line opens an event unseen by the route: one it does not take is
                // given up at once, with the reason, rather than run.
                guard registration.route.match.matches(event.entry) else {
                    let dead = DeadRecord(
                        handler: registration.name, eventSeq: key.eventSeq, attempts: 0,
                        reason:
                            "replay of an event this handler does not take (\(event.entry.kind) \(event.entry.eventType ?? "-") \(event.entry.status ?? "-"))"
                    )
                    let outcome = try? await context.writer.append(.dead(dead))
                    context.finished(
                        key, recorded: outcome.map { LedgerEntry(seq: $0.seq, at: context.now(), record: .dead(dead)) })
                    return
                }
                try await registration.handler.handle(HandlerEvent(entry: event.entry, body: event.body, attempt: attempt))
            } catch {
                reason = "\(error)"
            }
            let elapsed = clock.now - started
            guard !Task.isCancelled else {
                context.finished(key, recorded: nil, interrupted: true)
                return
            }
            let (seconds, attoseconds) = elapsed.components
            let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            context.metrics.duration.recordNanoseconds(nanoseconds)
            (reason == nil ? context.metrics.ok : context.metrics.failed).increment()
            let record = HandledRecord(
                handler: registration.name, eventSeq: key.eventSeq, attempt: attempt, result: reason == nil ? .ok : .failed,
                durationMs: nanoseconds / 1_000_000, reason: reason)
            var metadata: Logger.Metadata = [
                "handler": "\(registration.name)", "event.seq": "\(key.eventSeq)", "handler.attempt": "\(attempt)",
            ]
            if let reason = record.reason {
                metadata["reason"] = "\(reason)"
                context.logger.notice("handler run failed; retried after a backoff", metadata: metadata)
            }
            let recorded: LedgerEntry?
            do {
                let outcome = try await context.writer.append(.handled(record))
                recorded = LedgerEntry(seq: outcome.seq, at: context.now(), record: .handled(record))
            } catch {
                metadata["error"] = "\(error)"
                context.logger.error("cannot record a handler run; the event is run again", metadata: metadata)
                recorded = nil
            }
            context.finished(key, recorded: recorded)
        }
    }

    /// Writes a `dead` line for an event whose retries are spent, with a warning and a metric.
    func startDead(_ key: Key, _ dead: DeadRecord) {
        let context = takeSlot(key)
        tasks[key] = Task {
            var metadata: Logger.Metadata = [
                "handler": "\(dead.handler)", "event.seq": "\(dead.eventSeq)", "handler.attempts": "\(dead.attempts)",
                "reason": "\(dead.reason ?? "-")",
            ]
            let recorded: LedgerEntry?
            do {
                let outcome = try await context.writer.append(.dead(dead))
                recorded = LedgerEntry(seq: outcome.seq, at: context.now(), record: .dead(dead))
                context.metrics.dead.increment()
                context.logger.warning("handler gave an event up after its last retry (dead)", metadata: metadata)
            } catch {
                metadata["error"] = "\(error)"
                context.logger.error("cannot record a dead event; tried again", metadata: metadata)
                recorded = nil
            }
            context.finished(key, recorded: recorded)
        }
    }
}
