import ArgumentParser
import VODHook

struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Inspect the ledger files.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every ledger file: one JSON object per line, seq increasing, rotated names right.",
            discussion: "Read-only and safe while `vodhook serve` runs. Exits 1 and names file and line of each problem.")

        @Option(name: .customLong("data-dir"), help: "The data directory holding ledger.jsonl and its rotated files.")
        var dataDir = "./vodhook-data"

        func run() async throws {
            let report: LedgerVerifier.Report
            do {
                report = try LedgerVerifier(dataDir: dataDir).verify()
            } catch {
                throw CLIError("cannot read the ledger in \(dataDir): \(error)")
            }
            for problem in report.problems { print(problem) }
            let range = report.firstSeq.map { first in "seq \(first)–\(report.lastSeq ?? first)" } ?? "no entries"
            let kinds = report.countsByKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            print("\(report.files.count) file(s), \(report.lines) line(s), \(range)\(kinds.isEmpty ? "" : "; " + kinds)")
            for (type, count) in report.countsByEventType.sorted(by: { $0.key < $1.key }) { print("  \(type): \(count)") }
            if report.isClean {
                print("ok")
            } else {
                print("\(report.problems.count) problem(s)")
                throw ExitCode(1)
            }
        }
    }
}
