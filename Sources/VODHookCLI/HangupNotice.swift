import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP's default action ends the process, and operators send it (`systemctl reload`,
/// `kill -HUP`) expecting a reload. Until serve can reload, it is trapped and answered with a
/// log line saying what does take effect: a restart.
struct HangupNotice: Service {
    private let signals: UnixSignalsSequence
    private let logger: Logger

    /// Traps SIGHUP from now on (call it before anything that takes time, so no early SIGHUP kills).
    static func install(logger: Logger) async -> HangupNotice {
        HangupNotice(signals: await UnixSignalsSequence(trapping: .sighup), logger: logger)
    }

    func run() async {
        for await _ in signals.cancelOnGracefulShutdown() {
            logger.warning(
                "SIGHUP ignored: reload is not supported yet, nothing was reloaded; restart serve to use a new key or configuration")
        }
    }
}
