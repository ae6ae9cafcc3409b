import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import VODHook
import VODHookCore
import VODHookServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive VOD callbacks and record each one durably in the ledger.",
        discussion: """
            Settings come from flags, then VODHOOK_* environment variables, then --config FILE \
            (YAML, keys as the flags with underscores: public_url, data_dir, …), then defaults. \
            With no key configured, the first start writes a random key to <data-dir>/callback-key: \
            enter it as the callback AuthKey in the VOD console. While it runs, `vodhook submit` and \
            `vodhook reconcile` hand it their lines through <data-dir>/control/vodhook.sock (private \
            to this user, never on --listen).
            """)

    @Option(help: "YAML configuration file (see deploy/vodhook.example.yaml); read again on SIGHUP.")
    var config: String?

    // One option per setting, named and documented by its declaration (SettingKey+Declaration.swift).
    @Option(name: .setting(.listen), help: .setting(.listen)) var listen: String?
    @Option(name: .setting(.adminListen), help: .setting(.adminListen)) var adminListen: String?
    @Option(name: .setting(.publicURL), help: .setting(.publicURL)) var publicURLs: [String] = []
    @Option(name: .setting(.keyFile), help: .setting(.keyFile)) var keyFile: String?
    @Option(name: .setting(.dataDir), help: .setting(.dataDir)) var dataDir: String?
    @Option(name: .setting(.maxSkew), help: .setting(.maxSkew)) var maxSkew: String?
    @Option(name: .setting(.maxBody), help: .setting(.maxBody)) var maxBody: String?
    @Option(name: .setting(.rotateSize), help: .setting(.rotateSize)) var rotateSize: String?
    @Option(name: .setting(.dedupWindow), help: .setting(.dedupWindow)) var dedupWindow: String?
    @Option(name: .setting(.maxConnections), help: .setting(.maxConnections)) var maxConnections: String?
    @Option(name: .setting(.idleTimeout), help: .setting(.idleTimeout)) var idleTimeout: String?
    @Flag(name: .setting(.insecureNoAuth), help: .setting(.insecureNoAuth)) var insecureNoAuth = false
    @Option(name: .setting(.logLevel), help: .setting(.logLevel)) var logLevel: String?
    @Option(name: .setting(.logFormat), help: .setting(.logFormat)) var logFormat: String?
    @Option(name: .setting(.reconcileEvery), help: .setting(.reconcileEvery)) var reconcileEvery: String?
    @Option(name: .setting(.reconcileOlderThan), help: .setting(.reconcileOlderThan)) var reconcileOlderThan: String?
    @Option(name: .setting(.region), help: .setting(.region)) var region: String?
    @Option(name: .setting(.endpoint), help: .setting(.endpoint)) var endpoint: String?
    @Option(name: .setting(.signatureVersion), help: .setting(.signatureVersion)) var signatureVersion: String?
    @Option(name: .setting(.trustedProxy), help: .setting(.trustedProxy)) var trustedProxies: [String] = []

    var flags: ServeFlags {
        ServeFlags(
            [
                .listen: listen, .adminListen: adminListen, .keyFile: keyFile, .dataDir: dataDir, .maxSkew: maxSkew,
                .maxBody: maxBody, .rotateSize: rotateSize, .dedupWindow: dedupWindow, .maxConnections: maxConnections,
                .idleTimeout: idleTimeout,
                .insecureNoAuth: insecureNoAuth ? "true" : nil, .logLevel: logLevel, .logFormat: logFormat,
                .reconcileEvery: reconcileEvery, .reconcileOlderThan: reconcileOlderThan, .region: region,
                .endpoint: endpoint, .signatureVersion: signatureVersion,
            ],
            lists: [.publicURL: publicURLs, .trustedProxy: trustedProxies])
    }

    func run() async throws {
        let settings: ServeSettings
        do {
            settings = try ServeSettings.load(
                flags: flags, environment: ProcessInfo.processInfo.environment, configFile: config)
        } catch {
            throw CLIError(error.description)
        }
        let logger = LogSetup.bootstrap(level: settings.logLevel, format: settings.logFormat)
        // Before anything makes a metric (the ledger writer, the intake): one made earlier stays a no-op.
        let metricsRegistry = settings.adminListen.map { _ in PrometheusSetup.bootstrap() }
        let startedAt = WallClock.milliseconds()
        let hangups = await ConfigReload.trapHangups()
        let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        let handlerSpecs = try loadHandlerSpecs()
        let maxConnections = Self.connectionCap(settings.maxConnections, files: OpenFileLimit.raiseToHard(), logger: logger)
        let idleTimeout = TimeAmount.seconds(Int64(settings.idleTimeout))

        let keys: ResolvedKeys
        do {
            keys = try CallbackKeySource.resolve(settings: settings)
        } catch {
            throw CLIError("\(error)")
        }
        if let generated = keys.generatedAt {
            logger.notice(
                "generated a callback key: enter it as the AuthKey of HTTP callbacks in the VOD console",
                metadata: ["key.file": "\(generated)"])
        }
        if settings.insecureNoAuth {
            logger.critical(
                "--insecure-no-auth: SIGNATURES ARE NOT CHECKED; anyone who can reach this port can write to the ledger")
        }

        // Credentials are checked before the ledger opens: a serve that cannot reconcile, or
        // resubmit, must not start.
        let environment = ProcessInfo.processInfo.environment
        let credentials =
            try settings.reconcileEvery.map { _ in
                do {
                    return try VODCredentials.resolve(environment)
                } catch {
                    throw CLIError("--reconcile-every: \(error)")
                }
            } ?? Self.resubmitCredentials(for: handlerSpecs, environment: environment)

        // The lock now, the ledger's lines once the listeners are bound (LedgerOpener): a start-up
        // that reads a long history answers 503 meanwhile instead of refusing connections.
        let lock: DataDirectoryLock
        do {
            lock = try LedgerWriter.lock(dataDir: settings.dataDir)
        } catch {
            throw CLIError(error.description)
        }
        let ledger = LedgerGate()
        let httpClient = credentials.map { _ in AsyncHTTPClientTransport.makeHTTPClient() }
        let vodClient = credentials.flatMap { credentials in
            httpClient.map { Self.vodClient(settings, credentials: credentials, httpClient: $0) }
        }
        // Resubmit handlers ask the writer what was already done (its book is in the checkpoints).
        let resubmitLedger = vodClient.map { _ in
            LiveResubmitLedger(sink: GatedLedgerSink(gate: ledger, dataDir: settings.dataDir), dataDir: settings.dataDir) {
                jobId in
                // Handlers run only once the gate is open; a throw makes the run fail and retry, never skip.
                guard let writer = ledger.current else { throw LedgerSinkError("the ledger is still opening") }
                return writer.resubmitDone(for: jobId)
            }
        }
        // What a kill -9 of the previous serve left running goes before its events run again.
        let execGroups = ExecGroupRegistry(dataDir: settings.dataDir)
        let leftovers = execGroups.stopLeftovers()
        if !leftovers.isEmpty {
            logger.warning(
                "stopped exec programs a previous serve left running",
                metadata: ["exec.process_groups": "\(leftovers.map(String.init).joined(separator: " "))"])
        }
        let handlers = try Self.makeHandlers(
            handlerSpecs,
            context: HandlerContext(
                logger: logger, environment: environment,
                resubmit: vodClient.flatMap { client in
                    resubmitLedger.map { ResubmitContext(client: client, ledger: $0) }
                }, execGroups: execGroups))
        // READY=1 for systemd (Type=notify) once the ledger is open and the listener up, in either order.
        let ready = Countdown(2) { notifier.ready() }
        let opener = LedgerOpener(
            gate: ledger, lock: lock, dataDir: settings.dataDir, rotateSize: Int64(settings.rotateSize), logger: logger,
            window: settings.dedupWindow, checkpoints: true, onOpen: { ready.done() })
        let tally = CallbackTally(startSeconds: WallClock.seconds())
        let callbacks = CallbackIntake(
            rules: Self.callbackRules(settings, keys: keys, insecure: settings.insecureNoAuth), gate: ledger,
            rejections: RejectionLog(logger: logger), tally: tally, now: WallClock.seconds)
        let health = HealthRoutes(gate: ledger)
        let announce: @Sendable (String) async -> Void = { address in
            logger.notice(
                "listening", metadata: ["address": "\(address)", "public_url": "\(settings.publicURLs.joined(separator: " "))"])
            ready.done()
        }
        let announceAdmin: @Sendable (String) async -> Void = { address in
            logger.notice("admin listener up: /healthz, /readyz, /metrics, /status, /api", metadata: ["address": "\(address)"])
        }
        let app = buildApplication(
            address: try bindAddress(settings.listen), callbacks: callbacks,
            health: settings.adminListen == nil ? health : nil, idleTimeout: idleTimeout, maxConnections: maxConnections,
            logger: logger, onRunning: announce)
        let ledgerServices = LedgerServices(gate: ledger, logger: logger) { writer in
            var services = Self.dispatcher(handlers, ledger: writer, logger: logger)
            if let client = vodClient, let every = settings.reconcileEvery {
                services.append(
                    ReconcileService(
                        reconciler: Reconciler(client: client, sink: DirectLedgerSink(writer: writer, dataDir: settings.dataDir)),
                        open: { writer.openJobs }, every: .milliseconds(every), olderThan: settings.reconcileOlderThan,
                        logger: logger))
            }
            return services
        }
        var services: [any Service] = [opener, ledgerServices]
        if let adminListen = settings.adminListen {
            services.append(
                buildAdminApplication(
                    address: try bindAddress(adminListen), health: health,
                    dashboard: DashboardRoutes(dataDir: settings.dataDir, gate: ledger, tally: tally, logger: logger),
                    metrics: metricsRegistry.map { MetricsRoutes(registry: $0, gate: ledger, startedAt: startedAt) },
                    status: StatusRoutes(gate: ledger, startedAt: startedAt), idleTimeout: idleTimeout,
                    maxConnections: maxConnections,
                    logger: logger, onRunning: announceAdmin))
        }
        // The control socket: how `submit` and `reconcile` append while this server holds the data dir.
        var controlSocket: String?
        do {
            let path = try ControlSocket.prepare(dataDir: settings.dataDir)
            services.append(
                buildControlApplication(
                    socketPath: path, control: ControlRoutes(gate: ledger), idleTimeout: idleTimeout,
                    maxConnections: maxConnections,
                    logger: logger))
            controlSocket = path
            logger.info("control socket: submit and reconcile append through it", metadata: ["address": "unix:\(path)"])
        } catch {
            logger.warning(
                "no control socket; `vodhook submit` cannot record while this server runs", metadata: ["error": "\(error)"])
        }
        if vodClient != nil, let every = settings.reconcileEvery {
            logger.info(
                "reconciling pending jobs",
                metadata: [
                    "reconcile.every": "\(every / 1000)s", "reconcile.older_than": "\(settings.reconcileOlderThan / 1000)s",
                    "vod.endpoint": "\(settings.endpoint)",
                ])
        }
        services.append(app)
        services.append(
            configReload(
                hangups: hangups, environment: ProcessInfo.processInfo.environment, started: settings, keys: keys,
                callbacks: callbacks, ledger: ledger, notifier: notifier, logger: logger))
        // Shutdown runs in reverse: the listeners stop and drain first, then the ledger writes
        // what is queued and closes.
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer {
            for address in [settings.listen, settings.adminListen] {
                if case .unix(let path) = address { unlink(path) }
            }
            if let controlSocket { unlink(controlSocket) }
        }
        do {
            try await group.run()
        } catch let error as DataDirectoryError {
            try? await httpClient?.shutdown()
            throw CLIError(error.description)
        } catch {
            try? await httpClient?.shutdown()
            throw error
        }
        try? await httpClient?.shutdown()
    }

    /// Logs the open file limit, and the connection cap it leaves (lowered, with a warning, when
    /// the limit cannot hold the configured one).
    static func connectionCap(_ configured: Int, files: OpenFileLimit.Change, logger: Logger) -> Int {
        let hard = files.hard.map { "\($0)" } ?? "unlimited"
        if let failure = files.failure {
            logger.warning(
                "cannot raise the open file limit",
                metadata: [
                    "files.soft": "\(files.softBefore)", "files.hard": "\(hard)", "error": "\(failure)",
                ])
        } else {
            logger.info(
                "open file limit",
                metadata: [
                    "files.soft_before": "\(files.softBefore)", "files.soft": "\(files.soft)", "files.hard": "\(hard)",
                ])
        }
        guard let lowered = files.lowered(configured) else { return configured }
        logger.warning(
            "max_connections lowered to what the open file limit leaves; raise LimitNOFILE (ulimit -n) to allow more",
            metadata: ["connections.configured": "\(configured)", "connections.max": "\(lowered)", "files.soft": "\(files.soft)"])
        return lowered
    }

    /// Hummingbird's address; a stale unix socket from a killed run is removed first (the data
    /// directory lock, already held, proves no other vodhook of this data dir is using it).
    private func bindAddress(_ listen: ListenAddress) throws -> BindAddress {
        switch listen {
        case .tcp(let host, let port):
            return .hostname(host, port: port)
        case .unix(let path):
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK { unlink(path) }
            return .unixDomainSocket(path: path)
        }
    }
}

enum LogSetup {
    /// The level of every logger, which a reload changes (log_level).
    static let level = LiveLogLevel(.info)

    /// Bootstraps swift-log once, for `serve`.
    static func bootstrap(level: String, format: LogFormat) -> Logger {
        Self.level.set(Logger.Level(rawValue: level) ?? .info)
        LoggingSystem.bootstrap { label in
            // Deferred: Hummingbird sets a request id on every request's logger (see the type).
            let handler: any LogHandler =
                switch format {
                case .json: LiveLevelLogHandler(DeferredMetadataLogHandler(JSONLogHandler(label: label)), level: Self.level)
                case .text:
                    LiveLevelLogHandler(
                        DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label)), level: Self.level)
                }
            return handler
        }
        return Logger(label: "vodhook")
    }
}
