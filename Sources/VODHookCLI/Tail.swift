import ArgumentParser
import Foundation
import Synchronization
import VODHook
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow the ledger as it grows, one readable line per ledger line.",
        discussion: """
            Follows ledger.jsonl like `tail -F`, across rotations, from its end unless --from-seq or \
            --since ask for history. Each line shows time, seq, kind, event type (or AI type), JobId, \
            MediaId, status and whether the event matched a submission; handler runs are set under \
            their event. Coloured on a terminal unless NO_COLOR is set. Read-only and lock-free: safe \
            while `vodhook serve` runs. Ctrl-C stops it (exit 0).
            """)

    @Option(name: .customLong("from-seq"), help: "Start at this seq (history first, then new lines).")
    var fromSeq: UInt64?

    @Option(help: "Start at this time: 2h, 30m, 3d, or UTC 2026-11-26T06:00:00Z (history first, then new lines).")
    var since: String?

    @Option(help: "Only this event type or AI type (repeat for several).")
    var type: [String] = []

    @Option(
        help:
            "Only this status: an event's (success, fail), a submission's (accepted, refused, unknown), a handler run's (ok, failed), dead."
    )
    var status: [String] = []

    @Option(help: "Only this JobId (repeat for several).")
    var job: [String] = []

    @Option(help: "Only this MediaId (repeat for several).")
    var media: [String] = []

    @Option(help: "Only this kind: event, submitted, handled, dead, replay (repeat for several).")
    var kind: [String] = []

    @Flag(help: "Pass the ledger lines through unchanged (filters still apply).")
    var json = false

    @Option(name: .customLong("poll-interval"), help: "How often to look for new lines, in milliseconds.")
    var pollInterval = 200

    @Option(name: .customLong("data-dir"), help: "The data directory holding the ledger.")
    var dataDir = "./vodhook-data"

    func validate() throws {
        guard pollInterval >= 10, pollInterval <= 60_000 else {
            throw ValidationError("--poll-interval: 10 to 60000 milliseconds")
        }
        if let since, TimeSpec.instant(since, now: 0) == nil {
            throw ValidationError("--since: a span (30m, 2h, 3d) or a UTC time (2026-11-26T06:00:00Z)")
        }
    }

    func run() async throws {
        var filter = TailFilter()
        filter.types = Set(type)
        filter.statuses = Set(status)
        filter.jobs = Set(job)
        filter.media = Set(media)
        filter.kinds = Set(kind)
        filter.since = since.flatMap { TimeSpec.instant($0, now: WallClock.milliseconds()) }
        let start: LedgerFollower.Start = fromSeq.map { .seq($0) } ?? (filter.since != nil ? .seq(0) : .end)
        let colour = Self.colourWanted()
        guard FileManager.default.fileExists(atPath: dataDir) else { throw CLIError("no data directory at \(dataDir)") }
        let from = fromSeq.map { "from seq \($0)" } ?? since.map { "since \($0)" } ?? "from its end"
        let stop = StopFlag()
        let (dataDir, json, pollInterval, chosen) = (self.dataDir, self.json, self.pollInterval, filter)
        // Ctrl-C stops the loop between polls (exit 0); a second one quits at once.
        try await Interruptible.run(label: "vodhook.tail", onStop: { stop.raise() }) {
            let follower: LedgerFollower
            do {
                follower = try LedgerFollower(dataDir: dataDir, start: start)
            } catch {
                throw CLIError("cannot read the ledger in \(dataDir): \(error)")
            }
            FileHandle.standardError.write(Data("following \(dataDir)/\(LedgerFileName.liveName) \(from) (Ctrl-C stops)\n".utf8))
            var view = TailView(filter: chosen, colour: colour)
            while !stop.isRaised {
                var out: [UInt8] = []
                do {
                    try follower.poll { line, entry in
                        guard let entry else {
                            guard view.admitsUnreadable else { return }
                            out +=
                                json
                                ? Array(line.bytes)
                                : Array(view.formatter.unreadable(file: line.file.name, line: line.number).utf8)
                            out.append(0x0A)
                            return
                        }
                        guard view.admit(entry) else { return }
                        if json { out += line.bytes } else { out += view.text(entry).utf8 }
                        out.append(0x0A)
                        // A long history is written as it is read, not held whole.
                        if out.count >= 1 << 16 { try Self.write(&out) }
                    }
                } catch {
                    throw CLIError("tail stopped in \(dataDir): \(error)")
                }
                // Written per poll, unbuffered: a reader on a pipe sees each line as it is followed.
                try Self.write(&out)
                try? await Task.sleep(for: .milliseconds(pollInterval))
            }
        }
    }

    private static func write(_ out: inout [UInt8]) throws {
        guard !out.isEmpty else { return }
        try FileHandle.standardOutput.write(contentsOf: out)
        out.removeAll(keepingCapacity: true)
    }

    /// Colour on a terminal, unless `NO_COLOR` is set to anything but empty (no-color.org).
    static func colourWanted() -> Bool {
        guard isatty(STDOUT_FILENO) == 1 else { return false }
        return ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    /// Set from the signal queue, read by the follow loop between polls.
    private final class StopFlag: Sendable {
        private let raised = Atomic<Bool>(false)
        func raise() { raised.store(true, ordering: .relaxed) }
        var isRaised: Bool { raised.load(ordering: .relaxed) }
    }
}
