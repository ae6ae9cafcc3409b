#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
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

    @Option(help: "YAML configuration file (see deploy/vodhook.example.yaml).")
    var config: String?

    @Option(help: "Where to listen: HOST:PORT or unix:PATH (socket made mode 0660, removed on exit). (default: 127.0.0.1:8080)")
    var listen: String?

    @Option(name: .customLong("admin-listen"), help: "Serve /healthz and /readyz on this separate HOST:PORT or unix:PATH instead. (default: on --listen)")
    var adminListen: String?

    @Option(name: .customLong("public-url"), help: "The callback URL exactly as configured in VOD (its path is the route; the signature covers all of it). Repeat for per-job callback URLs. (default: http://127.0.0.1:8080/vod/callback)")
    var publicURLs: [String] = []

    @Option(name: .customLong("key-file"), help: "File of accepted callback keys, one per line (two during a rotation). Or VODHOOK_CALLBACK_KEYS. (default: <data-dir>/callback-key, generated)")
    var keyFile: String?

    @Option(name: .customLong("data-dir"), help: "Directory of the ledger, its lock and a generated key. (default: ./vodhook-data)")
    var dataDir: String?

    @Option(name: .customLong("max-skew"), help: "Seconds X-VOD-TIMESTAMP may differ from now (1-3600). (default: 300)")
    var maxSkew: String?

    @Option(name: .customLong("max-body"), help: "Largest accepted body: bytes, or with KiB/MiB (k/m). (default: 1MiB)")
    var maxBody: String?

    @Option(name: .customLong("rotate-size"), help: "Rotate ledger.jsonl once it reaches this size. (default: 256MiB)")
    var rotateSize: String?

    @Option(name: .customLong("max-connections"), help: "Connections each listener holds at once; more wait in the kernel's backlog until one closes. (default: 8192)")
    var maxConnections: String?

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may stay silent before it is closed, on every listener (1-3600). (default: 75)")
    var idleTimeout: String?

    @Option(name: .customLong("reconcile-every"), help: "Ask VOD (ListAIJob) this often about jobs still pending, e.g. 10m; needs ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET or ~/.alibabacloud/credentials.ini. (default: never)")
    var reconcileEvery: String?

    @Option(name: .customLong("reconcile-older-than"), help: "Reconcile only jobs submitted at least this long ago. (default: 10m)")
    var reconcileOlderThan: String?

    @Option(help: "The VOD API region, for reconcile. (default: cn-shanghai)")
    var region: String?

    @Option(help: "The VOD API endpoint URL, for reconcile, instead of the region's.")
    var endpoint: String?

    @Option(name: .customLong("signature-version"), help: "How VOD API calls are signed: v3 or rpc. (default: v3)")
    var signatureVersion: String?

    @Option(name: .customLong("trusted-proxy"), help: "A proxy whose X-Forwarded-For / X-Real-IP name the client in logs: an IP address, or unix for the peers of a unix socket listener. Repeatable. (default: none)")
    var trustedProxies: [String] = []

    @Flag(name: .customLong("insecure-no-auth"), help: "Accept callbacks without checking signatures. For local experiments only: refused unless --listen is loopback or unix:.")
    var insecureNoAuth = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. (default: info)")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "text or json (one object per line on stderr). (default: text)")
    var logFormat: String?

    var flags: ServeFlags {
        ServeFlags(
            listen: listen, adminListen: adminListen, publicURLs: publicURLs, keyFile: keyFile, dataDir: dataDir,
            maxSkew: maxSkew, maxBody: maxBody, rotateSize: rotateSize,
            maxConnections: maxConnections, idleTimeout: idleTimeout, insecureNoAuth: insecureNoAuth ? true : nil,
            logLevel: logLevel, logFormat: logFormat, reconcileEvery: reconcileEvery, reconcileOlderThan: reconcileOlderThan,
            region: region, endpoint: endpoint, signatureVersion: signatureVersion, trustedProxies: trustedProxies)
    }

    func run() async throws {
        let settings: ServeSettings
        do {
            settings = try ServeSettings.load(
                flags: flags, environment: ProcessInfo.processInfo.environment, configFile: config)
        } catch {
            throw CLIError(error.description)
        }
        try refuseHandlers()
        let logger = LogSetup.bootstrap(level: settings.logLevel, format: settings.logFormat)
        let hangups = await HangupNotice.install(logger: logger)
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
            logger.critical("--insecure-no-auth: SIGNATURES ARE NOT CHECKED; anyone who can reach this port can write to the ledger")
        }

        // Credentials are checked before the ledger opens: a serve that cannot reconcile must not start.
        let credentials = try settings.reconcileEvery.map { _ in
            do {
                return try VODCredentials.resolve(ProcessInfo.processInfo.environment)
            } catch {
                throw CLIError("--reconcile-every: \(error)")
            }
        }

        // The lock now, the ledger's lines once the listeners are bound (LedgerOpener): a start-up
        // that reads a long history answers 503 meanwhile instead of refusing connections.
        let lock: DataDirectoryLock
        do {
            lock = try LedgerWriter.lock(dataDir: settings.dataDir)
        } catch {
            throw CLIError(error.description)
        }
        let opener = LedgerOpener(
            gate: LedgerGate(), lock: lock, dataDir: settings.dataDir, rotateSize: Int64(settings.rotateSize), logger: logger)
        let ledger = opener.gate
        let verifier = settings.insecureNoAuth
            ? nil
            : CallbackVerifier(urls: settings.publicURLs, keys: keys.keys, maxSkew: Int64(settings.maxSkew))
        let callbacks = CallbackIntake(
            paths: settings.callbackPaths, verifier: verifier, maxBody: settings.maxBody, gate: ledger,
            rejections: RejectionLog(logger: logger), trustedProxies: settings.trustedProxies, now: WallClock.seconds)
        let health = HealthRoutes(gate: ledger)
        let announce: @Sendable (String) async -> Void = { address in
            logger.notice(
                "listening", metadata: ["address": "\(address)", "public_url": "\(settings.publicURLs.joined(separator: " "))"])
        }
        let announceAdmin: @Sendable (String) async -> Void = { address in
            logger.notice("admin listener up: /healthz, /readyz", metadata: ["address": "\(address)"])
        }
        let app = buildApplication(
            address: try bindAddress(settings.listen), callbacks: callbacks,
            health: settings.adminListen == nil ? health : nil, idleTimeout: idleTimeout, maxConnections: maxConnections,
            logger: logger, onRunning: announce)
        var services: [any Service] = [opener]
        if let adminListen = settings.adminListen {
            services.append(buildAdminApplication(
                address: try bindAddress(adminListen), health: health, idleTimeout: idleTimeout, maxConnections: maxConnections,
                logger: logger, onRunning: announceAdmin))
        }
        // The control socket: how `submit` and `reconcile` append while this server holds the data dir.
        var controlSocket: String?
        do {
            let path = try ControlSocket.prepare(dataDir: settings.dataDir)
            services.append(buildControlApplication(
                socketPath: path, control: ControlRoutes(gate: ledger), idleTimeout: idleTimeout, maxConnections: maxConnections,
                logger: logger))
            controlSocket = path
            logger.info("control socket: submit and reconcile append through it", metadata: ["address": "unix:\(path)"])
        } catch {
            logger.warning("no control socket; `vodhook submit` cannot record while this server runs", metadata: ["error": "\(error)"])
        }
        let httpClient = credentials.map { _ in AsyncHTTPClientTransport.makeHTTPClient() }
        if let credentials, let httpClient, let every = settings.reconcileEvery {
            let client = VODClient(
                endpoint: settings.endpoint, credentials: credentials, style: settings.signatureVersion,
                transport: AsyncHTTPClientTransport(endpoint: settings.endpoint, client: httpClient))
            services.append(ReconcileService(
                reconciler: Reconciler(client: client, sink: GatedLedgerSink(gate: ledger, dataDir: settings.dataDir)),
                dataDir: settings.dataDir, every: .milliseconds(every), olderThan: settings.reconcileOlderThan, logger: logger))
            logger.info("reconciling pending jobs", metadata: [
                "reconcile.every": "\(every / 1000)s", "reconcile.older_than": "\(settings.reconcileOlderThan / 1000)s",
                "vod.endpoint": "\(settings.endpoint)"])
        }
        services.append(app)
        services.append(hangups)
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
            logger.warning("cannot raise the open file limit", metadata: [
                "files.soft": "\(files.softBefore)", "files.hard": "\(hard)", "error": "\(failure)"])
        } else {
            logger.info("open file limit", metadata: [
                "files.soft_before": "\(files.softBefore)", "files.soft": "\(files.soft)", "files.hard": "\(hard)"])
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
    /// Bootstraps swift-log once, for `serve`.
    static func bootstrap(level: String, format: LogFormat) -> Logger {
        let logLevel = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            // Deferred: Hummingbird sets a request id on every request's logger (see the type).
            var handler: any LogHandler = switch format {
            case .json: DeferredMetadataLogHandler(JSONLogHandler(label: label))
            case .text: DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label))
            }
            handler.logLevel = logLevel
            return handler
        }
        return Logger(label: "vodhook")
    }
}
