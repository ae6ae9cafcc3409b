import Foundation
import Logging
import Synchronization
import Testing
import VODHook
import VODHookCore

/// Log records kept in memory, to read what a handler logged.
final class RecordedLog: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    var all: [Record] { records.withLock { $0 } }

    func append(_ record: Record) { records.withLock { $0.append(record) } }

    var logger: Logger {
        Logger(label: "exec-test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append(Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}

/// A temporary directory holding the programs a test writes, and the files they write back.
struct ExecScratch {
    let scratch: ConfigScratch

    init() throws { scratch = try ConfigScratch() }

    var root: String { scratch.root }

    func path(_ name: String) -> String { scratch.path(name) }

    /// Writes an executable `/bin/sh` script and returns its path.
    func program(_ name: String, _ script: String) throws -> String {
        try scratch.write(name, bytes: Array(("#!/bin/sh\n" + script + "\n").utf8), mode: 0o755)
    }

    /// The text a program wrote to `name`, nil if it wrote nothing there.
    func read(_ name: String) -> String? {
        try? String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// The pid a program wrote to `name`.
    func pid(_ name: String) -> Int32? {
        read(name).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func remove() { scratch.remove() }
}

enum ExecTestSupport {
    /// An AI result event as the ledger holds it.
    static func event(attempt: Int = 1, seq: UInt64 = 41) throws -> HandlerEvent {
        let body = HandlerWriteTests.body()
        return HandlerEvent(entry: try HandlerWriteTests.entry(body, seq: seq), body: body, attempt: attempt)
    }

    static func handler(
        _ argv: [String], timeout: Duration = .seconds(30), killAfter: Duration = .seconds(1), cwd: String? = nil,
        outputCap: Int = ExecAction.defaultOutputCap, inherited: [String] = [], fixed: [String: String] = [:],
        parent: [String: String] = [:], log: RecordedLog = RecordedLog()
    ) throws -> ExecHandler {
        let action = ExecAction(
            argv: try argv.map(FieldTemplate.init(parsing:)), timeout: timeout, killAfter: killAfter,
            fixedEnvironment: fixed, inheritedEnvironment: inherited, cwd: cwd, outputCap: outputCap)
        return ExecHandler(name: "notify", action: action, parentEnvironment: parent, logger: log.logger)
    }

    /// Whether `pid` still runs: a zombie (ended, not yet reaped by whoever inherited it) does not.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let stat = ProcessStat(line: line)
        else { return false }
        return stat.isRunning
    }

    /// Each process whose pid a program wrote to one of `files` has ended.
    static func expectEnded(_ scratch: ExecScratch, _ files: String..., sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        for file in files {
            let pid = try #require(scratch.pid(file), "no pid in \(file)", sourceLocation: sourceLocation)
            #expect(!isRunning(pid), "\(file) \(pid) still runs", sourceLocation: sourceLocation)
        }
    }
}
