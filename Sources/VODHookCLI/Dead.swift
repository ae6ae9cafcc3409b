import ArgumentParser
import Foundation
import VODHook
import VODHookCore

struct Dead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the dead letters: events a handler gave up after its last retry.",
        discussion: """
            A dead letter stays one until `vodhook replay` asks for it again (or a later run of the \
            handler on the event succeeds). Reads the ledger files only: safe while `vodhook serve` runs.
            """)

    @Option(help: "Only the dead letters of this handler (its name in the config).")
    var handler: String?

    @Flag(help: "One JSON object per dead letter, one a line.")
    var json = false

    @Option(name: .customLong("data-dir"), help: "The data directory holding the ledger.")
    var dataDir = "./vodhook-data"

    func run() async throws {
        guard FileManager.default.fileExists(atPath: dataDir) else { throw CLIError("no data directory at \(dataDir)") }
        // The dispatcher's dead-letters file and the lines after it: not the whole history.
        let follower = DeadLetterFollower(dataDir: dataDir, logger: nil)
        let letters: [DeadLetters.Pair]
        do {
            letters = try follower.poll().letters(handler: handler)
        } catch {
            throw CLIError("cannot read the ledger in \(dataDir): \(error)")
        }
        if json {
            for letter in letters { print(letter.outcome.deadLetterJSON(event: letter.event)) }
        } else if letters.isEmpty {
            print("no dead letters" + (handler.map { " of handler \($0)" } ?? "") + " in \(dataDir)")
        } else {
            var table = [["HANDLER", "SEQ", "EVENT", "JOB", "MEDIA", "ATTEMPTS", "DIED", "REASON"]]
            for letter in letters {
                let (outcome, event) = (letter.outcome, letter.event)
                table.append([
                    outcome.handler, String(outcome.eventSeq), event?.eventType ?? "?", event?.jobId ?? "-",
                    event?.mediaId ?? "-",
                    String(outcome.death?.attempts ?? outcome.runs),
                    String(EventTime.rfc3339(milliseconds: outcome.death?.at ?? outcome.lastAt).prefix(19)) + "Z",
                    outcome.death?.reason ?? "-",
                ])
            }
            print(TextTable.render(table), terminator: "")
            print("\(letters.count) dead letter(s); `vodhook replay --dead` runs them again")
        }
        HandlerLedger.warnUnreadable(follower.unreadable)
    }
}

/// The ledger reads of `dead`, `replay` and `job`, with their errors worded for the command line.
enum HandlerLedger {
    static func read(_ dataDir: String, keep: (LedgerEntry) -> Bool) throws -> LedgerHandlerOutcomes {
        guard FileManager.default.fileExists(atPath: dataDir) else { throw CLIError("no data directory at \(dataDir)") }
        do {
            return try LedgerHandlerOutcomes.read(dataDir: dataDir, keep: keep)
        } catch {
            throw CLIError("cannot read the ledger in \(dataDir): \(error)")
        }
    }

    /// The event lines of these outcomes, when the first pass did not keep them.
    static func addEvents(of outcomes: [HandlerOutcomes.Outcome], to ledger: inout LedgerHandlerOutcomes, dataDir: String) throws
    {
        do {
            try ledger.addEvents(outcomes.map(\.eventSeq), dataDir: dataDir)
        } catch {
            throw CLIError("cannot read the ledger in \(dataDir): \(error)")
        }
    }

    static func warnUnreadable(_ ledger: LedgerHandlerOutcomes) { warnUnreadable(ledger.unreadable) }

    static func warnUnreadable(_ unreadable: Int) {
        guard unreadable > 0 else { return }
        FileHandle.standardError.write(
            Data("warning: \(unreadable) ledger line(s) could not be read; run `vodhook ledger verify`\n".utf8))
    }
}
