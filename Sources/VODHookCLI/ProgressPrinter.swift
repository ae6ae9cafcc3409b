import Foundation
import Synchronization
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A progress bar on stderr when it is a terminal (redrawn at most ten times a second), else a
/// plain line every five seconds, for logs.
final class ProgressPrinter: Sendable {
    private struct State {
        var done = 0
        var failed = 0
        var lastDraw: ContinuousClock.Instant?
    }

    private let total: Int
    private let start = ContinuousClock.now
    private let terminal = isatty(STDERR_FILENO) == 1
    private let state = Mutex(State())

    init(total: Int) {
        self.total = total
    }

    func advance(failed: Bool) {
        let line: ProgressLine? = state.withLock { state in
            state.done += 1
            if failed { state.failed += 1 }
            let now = ContinuousClock.now
            let every: Duration = terminal ? .milliseconds(100) : .seconds(5)
            guard state.lastDraw.map({ now - $0 >= every }) ?? true || state.done == total else { return nil }
            state.lastDraw = now
            return snapshot(state)
        }
        if let line { draw(line) }
    }

    /// Ends the bar's line.
    func finish() {
        let line = state.withLock { snapshot($0) }
        if terminal {
            draw(line)
            write("\n")
        }
    }

    private func snapshot(_ state: State) -> ProgressLine {
        let elapsed = ContinuousClock.now - start
        return ProgressLine(
            done: state.done, total: total, failed: state.failed,
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func draw(_ line: ProgressLine) {
        write(terminal ? "\r\u{1B}[2K" + line.bar() : "progress: " + line.figures + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
