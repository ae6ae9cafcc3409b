internal import Foundation
public import VODHookCore

/// Everything `vodhook serve` needs to start, after flags, environment, config file and defaults
/// have been layered (see ``load(flags:environment:configFile:)``) and every value checked.
public struct ServeSettings: Sendable, Equatable {
    /// Where the callback listener accepts connections. Default `127.0.0.1:8080`.
    public var listen: ListenAddress
    /// A separate listener for `/healthz` and `/readyz`; nil (the default) serves them on ``listen``.
    public var adminListen: ListenAddress?
    /// The callback URLs exactly as configured in VOD (absolute http/https URLs with a host), one or more.
    /// Signatures are computed over these strings. Default `http://127.0.0.1:8080/vod/callback`.
    public var publicURLs: [String]
    /// A file with one callback key per line; nil when not configured. Relative paths are relative
    /// to the working directory, wherever they were set.
    public var keyFile: String?
    /// Callback keys given directly (`VODHOOK_CALLBACK_KEYS`, `callback_keys`). Secret: the
    /// description of these settings hides them.
    public var callbackKeys: [String]
    /// Where the ledger and the generated callback key live. Default `./vodhook-data`.
    public var dataDir: String
    /// How far, in seconds, a callback's timestamp may be from now. Default 300, always in ``maxSkewRange``.
    public var maxSkew: Int
    /// The largest callback body accepted, in bytes. Default 1 MiB, always > 0.
    public var maxBody: Int
    /// The ledger size, in bytes, at which it is rotated. Default 256 MiB, always > 0.
    public var rotateSize: Int
    /// Connections each listener holds at once; beyond it new ones wait in the kernel's backlog.
    /// Default 8192, always in ``maxConnectionsRange``.
    public var maxConnections: Int
    /// Seconds a connection may stay silent (no request, or a request whose bytes stop) before it
    /// is closed, on every listener. Default 75, always in ``idleTimeoutRange``.
    public var idleTimeout: Int
    /// Accept callbacks without checking their signature. Default false; `serve` warns loudly.
    public var insecureNoAuth: Bool
    /// The lowest level logged: trace, debug, info (default), notice, warning, error or critical.
    public var logLevel: String
    /// How log lines are written. Default ``LogFormat/text``.
    public var logFormat: LogFormat
    /// Run `reconcile` this often (milliseconds); nil (the default) never.
    public var reconcileEvery: Int64?
    /// Reconcile only jobs submitted at least this long ago (milliseconds). Default 10 minutes.
    public var reconcileOlderThan: Int64
    /// How long dedup keys and final jobs are remembered (milliseconds). Default 24 hours.
    public var dedupWindow: Int64 = DedupWindow.defaultMilliseconds
    /// The VOD API endpoint for reconcile: `--endpoint`, else `--region`, else cn-shanghai.
    public var endpoint: VODEndpoint
    /// How VOD API calls are signed. Default v3.
    public var signatureVersion: SigningStyle
    /// The peers whose X-Forwarded-For / X-Real-IP name the client in logs. Default none.
    public var trustedProxies: TrustedProxies

    /// The default listener, `127.0.0.1:8080`.
    public static let defaultListen = ListenAddress.tcp(host: "127.0.0.1", port: 8080)
    /// The default callback URL, `http://127.0.0.1:8080/vod/callback`.
    public static let defaultPublicURL = "http://127.0.0.1:8080/vod/callback"
    /// The default data directory, `./vodhook-data`.
    public static let defaultDataDir = "./vodhook-data"
    /// The default clock skew allowed, 300 seconds.
    public static let defaultMaxSkew = 300
    /// The clock skew allowed: a wider window only widens what a replayed request can do.
    public static let maxSkewRange = 1...3600
    /// The default connection cap per listener: thousands of idle clients fit, and with the open
    /// file limit raised at start (`serve` asks for the hard limit) they stay far from it.
    public static let defaultMaxConnections = 8192
    /// The connection caps accepted.
    public static let maxConnectionsRange = 1...1_000_000
    /// The default idle timeout, 75 seconds (longer than the usual proxies' 60 s keep-alive).
    public static let defaultIdleTimeout = 75
    /// The idle timeouts accepted, in seconds.
    public static let idleTimeoutRange = 1...3600
    /// The default body limit, 1 MiB.
    public static let defaultMaxBody = 1 << 20
    /// The default rotation size, 256 MiB.
    public static let defaultRotateSize = 256 << 20
    /// The default log level, `info`.
    public static let defaultLogLevel = "info"
    /// The default age before reconcile asks about a pending job: 10 minutes.
    public static let defaultReconcileOlderThan: Int64 = 600_000
    /// The log levels accepted, lowest first (swift-log's names).
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Settings with every default, changed where an argument is given. Does not validate.
    public init(
        listen: ListenAddress = Self.defaultListen,
        adminListen: ListenAddress? = nil,
        publicURLs: [String] = [Self.defaultPublicURL],
        keyFile: String? = nil,
        callbackKeys: [String] = [],
        dataDir: String = Self.defaultDataDir,
        maxSkew: Int = Self.defaultMaxSkew,
        maxBody: Int = Self.defaultMaxBody,
        rotateSize: Int = Self.defaultRotateSize,
        maxConnections: Int = Self.defaultMaxConnections,
        idleTimeout: Int = Self.defaultIdleTimeout,
        insecureNoAuth: Bool = false,
        logLevel: String = Self.defaultLogLevel,
        logFormat: LogFormat = .text,
        reconcileEvery: Int64? = nil,
        reconcileOlderThan: Int64 = Self.defaultReconcileOlderThan,
        endpoint: VODEndpoint? = nil,
        signatureVersion: SigningStyle = .v3,
        trustedProxies: TrustedProxies = .none
    ) {
        self.listen = listen
        self.adminListen = adminListen
        self.publicURLs = publicURLs
        self.keyFile = keyFile
        self.callbackKeys = callbackKeys
        self.dataDir = dataDir
        self.maxSkew = maxSkew
        self.maxBody = maxBody
        self.rotateSize = rotateSize
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.insecureNoAuth = insecureNoAuth
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.reconcileEvery = reconcileEvery
        self.reconcileOlderThan = reconcileOlderThan
        self.endpoint = endpoint ?? Self.defaultEndpoint
        self.signatureVersion = signatureVersion
        self.trustedProxies = trustedProxies
    }

    /// `https://vod.cn-shanghai.aliyuncs.com`.
    public static let defaultEndpoint = VODEndpoint.defaultRegionEndpoint

    /// The distinct paths of ``publicURLs``, in order: the routes callbacks are accepted on.
    /// Percent-encoding is kept as written (it is what arrives in the request line); an empty path is `/`.
    public var callbackPaths: [String] {
        var seen = Set<String>()
        return publicURLs.compactMap { url in
            guard let components = URLComponents(string: url) else { return nil }
            let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
            return seen.insert(path).inserted ? path : nil
        }
    }
}
