internal import Subprocess
import Synchronization
internal import SystemPackage
import VODHookCore

/// One run of an `exec` handler's program: spawned without a shell as the leader of a process
/// group of its own, its stdin fed, stdout and stderr read at once (the last `outputCap` bytes
/// of each kept), stopped with its group at the timeout, and whatever it left running in the
/// group stopped when it exits, so no run leaves anything behind.
struct ExecRun: Sendable {
    /// `argv[0]` is the program's absolute path.
    var argv: [String]
    /// The whole environment: nothing is inherited.
    var environment: [String: String]
    var cwd: String
    var stdin: [UInt8]
    var timeout: Duration
    var killAfter: Duration
    var outputCap: Int
    var groups: ExecGroupRegistry? = nil

    /// Throws only when the program could not be started; every other ending is in the report.
    func run() async throws(ExecFailure) -> ExecReport {
        let leader = LeaderID()
        let (ran, timeoutStop) = await withTaskGroup(of: Part.self) { group in
            group.addTask { .ran(await self.spawn(leader)) }
            group.addTask { .timedOut(await self.watch(leader)) }
            var ran: Result<ExecReport, ExecFailure>?
            var timeoutStop: ExecReport.TimeoutStop?
            while let part = await group.next() {
                switch part {
                case .ran(let result):
                    ran = result
                    group.cancelAll()  // the timer, unless it fired: then it ends the stop it began
                case .timedOut(let stop):
                    timeoutStop = stop
                }
            }
            return (ran, timeoutStop)
        }
        guard var report = try ran?.get() else {
            throw ExecFailure.couldNotStart(program: argv.first ?? "", reason: "the run ended without a result")
        }
        report.timeout = timeoutStop
        // After a timeout the stop already waited for the whole group.
        if timeoutStop == nil, let pid = leader.pid, ExecProcessGroup(id: pid).hasRunningMembers {
            _ = await ExecProcessGroup(id: pid).stop(grace: killAfter)
            report.stoppedLeftovers = true
        }
        if let pid = leader.pid { groups?.ended(pid) }
        return report
    }

    private enum Part: Sendable {
        case ran(Result<ExecReport, ExecFailure>)
        case timedOut(ExecReport.TimeoutStop?)
    }

    /// Returns once the program has exited (not when its pipes close: swift-subprocess ends the
    /// reads when the leader exits, even if a grandchild holds them open).
    private func spawn(_ leader: LeaderID) async -> Result<ExecReport, ExecFailure> {
        var options = PlatformOptions()
        options.processGroupID = 0  // a group of its own, led by the program: pgid = its pid
        // If the dispatcher's task is cancelled (shutdown), the group goes the same way as at a timeout.
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: killAfter)]
        let cap = outputCap
        let input = stdin
        do {
            let result = try await Subprocess.run(
                .path(FilePath(argv.first ?? "")),
                arguments: Arguments(Array(argv.dropFirst())),
                environment: .custom(Self.keyed(environment)),
                workingDirectory: FilePath(cwd),
                platformOptions: options,
                input: .inputWriter,
                output: .sequence,
                error: .sequence
            ) { execution in
                leader.set(execution.processIdentifier.value)
                groups?.started(execution.processIdentifier.value)
                return await Self.exchange(
                    input: input, writer: execution.standardInputWriter,
                    stdout: execution.standardOutput, stderr: execution.standardError, cap: cap)
            }
            let termination: ExecReport.Termination =
                switch result.terminationStatus {
                case .exited(let status): .exited(status)
                case .signaled(let signal): .signaled(signal)
                }
            let (stdout, stderr) = result.closureResult
            return .success(ExecReport(termination: termination, stdout: stdout, stderr: stderr))
        } catch {
            return .failure(.couldNotStart(program: argv.first ?? "", reason: Self.reason(error)))
        }
    }

    /// At the timeout, stops the group; nil when cancelled before (the program had exited).
    private func watch(_ leader: LeaderID) async -> ExecReport.TimeoutStop? {
        do {
            try await Task.sleep(for: timeout)
            while leader.pid == nil { try await Task.sleep(for: .milliseconds(5)) }  // still spawning
        } catch {
            return nil
        }
        guard let pid = leader.pid else { return nil }
        let killed = await ExecProcessGroup(id: pid).stop(grace: killAfter)
        return ExecReport.TimeoutStop(after: timeout, killed: killed)
    }

    private enum Stream: Sendable {
        case input
        case stdout(OutputTail)
        case stderr(OutputTail)
    }

    /// Writes stdin while reading stdout and stderr, so a program that writes before it reads
    /// (or never reads) cannot block on a full pipe.
    private static func exchange(
        input: [UInt8], writer: StandardInputWriter, stdout: SubprocessOutputSequence, stderr: SubprocessOutputSequence,
        cap: Int
    ) async -> (OutputTail, OutputTail) {
        await withTaskGroup(of: Stream.self) { group in
            group.addTask {
                // Fails when the program exits or closes stdin without reading it all: its choice.
                if !input.isEmpty { _ = try? await writer.write(input) }
                try? await writer.finish()
                return .input
            }
            group.addTask { .stdout(await drain(stdout, cap: cap)) }
            group.addTask { .stderr(await drain(stderr, cap: cap)) }
            var out = OutputTail(cap: cap)
            var err = OutputTail(cap: cap)
            while let part = await group.next() {
                switch part {
                case .input: break
                case .stdout(let tail): out = tail
                case .stderr(let tail): err = tail
                }
            }
            return (out, err)
        }
    }

    /// Reads to the end, keeping the tail; the rest is read and dropped so the program never
    /// blocks on a full pipe.
    private static func drain(_ sequence: SubprocessOutputSequence, cap: Int) async -> OutputTail {
        var tail = OutputTail(cap: cap)
        do {
            for try await buffer in sequence {
                buffer.withUnsafeBytes { tail.append($0) }
            }
        } catch {
            // The read was cut short because the program exited while another process held the
            // pipe open: what was read is kept.
        }
        return tail
    }

    /// Keyed by swift-subprocess's own type: its raw-bytes form (1.0.2) hands each entry to
    /// `strdup` as is, so an entry without a trailing NUL would read past its end.
    private static func keyed(_ environment: [String: String]) -> [Environment.Key: String] {
        var keyed: [Environment.Key: String] = [:]
        for (name, value) in environment {
            if let key = Environment.Key(rawValue: name) { keyed[key] = value }
        }
        return keyed
    }

    private static func reason(_ error: any Error) -> String {
        guard let error = error as? SubprocessError else { return "\(error)" }
        switch error.code {
        case .executableNotFound: return "not found or not executable"
        case .failedToChangeWorkingDirectory: return "cannot change to its working directory"
        default: return error.underlyingError.map { "\($0)" } ?? "\(error)"
        }
    }
}

/// The program's pid, known once it is spawned, for the timer that may have to stop its group.
private final class LeaderID: Sendable {
    private let value = Atomic<Int32>(0)

    var pid: pid_t? {
        let pid = value.load(ordering: .acquiring)
        return pid > 0 ? pid : nil
    }

    func set(_ pid: pid_t) {
        value.store(pid, ordering: .releasing)
    }
}
