import Logging
import UnixSignals
import VODHook
import VODHookCore
import VODHookServer

extension Serve {
    /// What callbacks are checked against, from `settings` and `keys`: at start and on each reload.
    /// `insecure`: serve started with insecure_no_auth (a restart setting), so nothing is verified.
    static func callbackRules(_ settings: ServeSettings, keys: ResolvedKeys, insecure: Bool) -> CallbackRules {
        CallbackRules(
            paths: settings.callbackPaths,
            verifier: insecure
                ? nil : CallbackVerifier(urls: settings.publicURLs, keys: keys.keys, maxSkew: Int64(settings.maxSkew)),
            maxBody: settings.maxBody, trustedProxies: settings.trustedProxies)
    }

    /// The SIGHUP service: reads the configuration again and puts its live settings in force.
    func configReload(
        hangups: UnixSignalsSequence, environment: [String: String], started: ServeSettings, keys: ResolvedKeys,
        callbacks: CallbackIntake, ledger: LedgerGate, notifier: SystemdNotifier, logger: Logger
    ) -> ConfigReload {
        ConfigReload(
            hangups: hangups, sources: .init(flags: flags, environment: environment, configFile: config),
            started: started, keys: keys, notifier: notifier, logger: logger
        ) { next, keys in
            callbacks.reload(Self.callbackRules(next, keys: keys, insecure: started.insecureNoAuth))
            LogSetup.level.set(Logger.Level(rawValue: next.logLevel) ?? .info)
            ledger.setRotateSize(Int64(next.rotateSize))
        }
    }
}
