import Logging
import ServiceLifecycle
import UnixSignals
import VODHook

/// SIGHUP (`systemctl reload`, `kill -HUP`): reads the config file and the key file again and
/// applies what can change while serving, for the next request; nothing in flight is dropped.
///
/// Flags and environment variables stay those serve started with. A new configuration that does
/// not load (a bad value, an unreadable key file) is refused with its error, which names the
/// setting, and the running one stays. A changed setting that cannot apply live (a listener, the
/// data directory) is logged as needing a restart and keeps its running value.
struct ConfigReload: Service, CustomStringConvertible {
    /// Where the settings came from at start, read the same way again.
    struct Sources: Sendable {
        var flags: ServeFlags
        /// Only the `VODHOOK_*` variables: the rest (an AccessKey, say) has no business here.
        var environment: [String: String]
        var configFile: String?

        init(flags: ServeFlags, environment: [String: String], configFile: String?) {
            self.flags = flags
            self.environment = environment.filter { $0.key.hasPrefix("VODHOOK_") }
            self.configFile = configFile
        }
    }

    private let hangups: UnixSignalsSequence
    private let sources: Sources
    private let started: ServeSettings
    private let startedKeys: ResolvedKeys
    /// Puts the live settings and keys in force.
    private let apply: @Sendable (ServeSettings, ResolvedKeys) -> Void
    private let notifier: SystemdNotifier
    private let logger: Logger

    /// Traps SIGHUP from now on (call it before anything that takes time, so no early SIGHUP kills).
    static func trapHangups() async -> UnixSignalsSequence {
        await UnixSignalsSequence(trapping: .sighup)
    }

    init(
        hangups: UnixSignalsSequence, sources: Sources, started: ServeSettings, keys: ResolvedKeys,
        notifier: SystemdNotifier, logger: Logger, apply: @escaping @Sendable (ServeSettings, ResolvedKeys) -> Void
    ) {
        self.hangups = hangups
        self.sources = sources
        self.started = started
        self.startedKeys = keys
        self.notifier = notifier
        self.logger = logger
        self.apply = apply
    }

    /// ServiceLifecycle logs services by their description at debug level: never the sources,
    /// which may hold VODHOOK_CALLBACK_KEYS.
    var description: String { "ConfigReload" }

    func run() async {
        var running = (settings: started, keys: startedKeys)
        for await _ in hangups.cancelOnGracefulShutdown() {
            notifier.reloading()
            if let next = reload(from: running) { running = next }
            notifier.ready()
        }
        // The group stops this service first (it is the last one), so the drain starts now.
        notifier.stopping()
    }

    /// The settings and keys now in force, or nil when the new configuration was refused.
    private func reload(from running: (settings: ServeSettings, keys: ResolvedKeys)) -> (
        settings: ServeSettings, keys: ResolvedKeys
    )? {
        let next: ServeSettings
        let keys: ResolvedKeys
        do {
            next = try ServeSettings.load(flags: sources.flags, environment: sources.environment, configFile: sources.configFile)
            // Keys are looked for where serve started looking: a new data_dir needs a restart.
            var lookup = next
            lookup.dataDir = started.dataDir
            lookup.insecureNoAuth = started.insecureNoAuth
            keys = try CallbackKeySource.resolve(settings: lookup)
        } catch {
            logger.error("SIGHUP: reload refused, the running configuration stays", metadata: ["error": "\(error)"])
            return nil
        }
        if let generated = keys.generatedAt {
            logger.notice(
                "generated a callback key: enter it as the AuthKey of HTTP callbacks in the VOD console",
                metadata: ["key.file": "\(generated)"])
        }
        var applied = next.differences(from: running.settings).filter { $0.declaration.reload == .live }.map(\.fileKey)
        let needRestart = next.differences(from: started).filter { $0.declaration.reload == .restart }.map(\.fileKey)
        if keys.keys != running.keys.keys, !applied.contains(SettingKey.callbackKeys.fileKey) {
            applied.append("callback keys")
        }
        apply(next, keys)
        logger.notice(
            "SIGHUP: configuration reloaded",
            metadata: [
                "changed": "\(applied.isEmpty ? "nothing" : applied.joined(separator: ","))",
                "callback_keys.count": "\(keys.keys.count)",
            ])
        if !needRestart.isEmpty {
            logger.warning(
                "SIGHUP: changed settings need a restart to take effect; they keep their running values",
                metadata: ["settings": "\(needRestart.joined(separator: ","))"])
        }
        return (next, keys)
    }
}
