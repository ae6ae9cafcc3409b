import Foundation
import VODHook
import VODHookCLI
import VODHookCore

/// Notes each successful AI result as `<dir>/<JobId>.done`, holding the event's seq and type: a
/// stand-in for indexing results in your own database. Idempotent, as every handler must be (it
/// may see an event again after a crash): a second run rewrites the same file.
struct MarkDone: EventHandler {
    let dir: String

    func handle(_ event: HandlerEvent) async throws {
        guard let job = event.entry.jobId, !job.contains("/"), !job.hasPrefix(".") else {
            throw MarkDoneError(description: "event \(event.entry.seq) has no usable JobId")
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = "\(event.entry.seq) \(event.entry.eventType ?? "-") \(event.body.count) bytes\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + job + ".done"), options: .atomic)
    }
}

struct MarkDoneError: Error, CustomStringConvertible {
    let description: String
}

let dir = ProcessInfo.processInfo.environment["MARK_DONE_DIR"] ?? "./done"
await VODHookCommand.run(handlers: [
    CustomHandler(
        name: "mark-done", match: HandlerMatch(eventTypes: HandlerMatch.aiFamily, statuses: ["success"]),
        retry: Backoff(base: .seconds(1), cap: .seconds(30), maxAttempts: 5), maxConcurrent: 2,
        handler: MarkDone(dir: dir))
])
