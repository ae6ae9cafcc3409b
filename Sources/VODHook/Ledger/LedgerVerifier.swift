import VODHookCore

/// `vodhook ledger verify`: reads every ledger file and reports each line that is not a ledger
/// object, each seq that does not increase, and rotated files whose name disagrees with their lines.
public struct LedgerVerifier: Sendable {
    /// One problem, located.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let file: String
        /// 1-based; 0 for a problem with the file as a whole.
        public let line: Int
        public let text: String

        public var description: String { line > 0 ? "\(file):\(line): \(text)" : "\(file): \(text)" }
    }

    /// What was found.
    public struct Report: Sendable {
        public var files: [String] = []
        public var lines = 0
        public var firstSeq: UInt64?
        public var lastSeq: UInt64?
        public var countsByKind: [String: Int] = [:]
        public var countsByEventType: [String: Int] = [:]
        public var problems: [Problem] = []

        public var isClean: Bool { problems.isEmpty }
    }

    public let reader: LedgerReader

    public init(dataDir: String) {
        reader = LedgerReader(dataDir: dataDir)
    }

    public func verify() throws -> Report {
        var report = Report()
        var previous: UInt64?
        for file in try reader.files() {
            report.files.append(file.name)
            var firstInFile: UInt64?
            var lastInFile: UInt64?
            try reader.forEachLine(in: file) { line in
                report.lines += 1
                guard line.terminated else {
                    report.problems.append(
                        Problem(
                            file: file.name, line: line.number,
                            text: "unterminated last line (torn by a crash, or being written right now)"))
                    return
                }
                let entry: LedgerEntry
                do {
                    entry = try LedgerLine.decode(line.bytes)
                } catch {
                    report.problems.append(Problem(file: file.name, line: line.number, text: "\(error)"))
                    return
                }
                if let previous, entry.seq <= previous {
                    report.problems.append(
                        Problem(
                            file: file.name, line: line.number, text: "seq \(entry.seq) does not follow \(previous)"))
                }
                previous = entry.seq
                firstInFile = firstInFile ?? entry.seq
                lastInFile = entry.seq
                report.firstSeq = report.firstSeq ?? entry.seq
                report.lastSeq = entry.seq
                report.countsByKind[entry.kind.description, default: 0] += 1
                if let type = entry.eventType, entry.kind == .event { report.countsByEventType[type, default: 0] += 1 }
            }
            if case .rotated(let first, let last) = file, firstInFile != first || lastInFile != last {
                report.problems.append(
                    Problem(
                        file: file.name, line: 0,
                        text:
                            "holds seq \(firstInFile.map(String.init) ?? "none")–\(lastInFile.map(String.init) ?? "none"), name says \(first)–\(last)"
                    ))
            }
        }
        return report
    }
}
