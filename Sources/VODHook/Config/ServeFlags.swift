/// What the command line of `vodhook serve` gave: nil (or empty) for every flag not given.
///
/// Values are kept as typed, so that ``ServeSettings/load(flags:environment:configFile:)`` checks
/// them with the same rules and the same messages as the environment and the config file, naming
/// the flag. There is deliberately no flag for callback keys: a secret on the command line is
/// visible to every user through `ps`; use `--key-file` or `VODHOOK_CALLBACK_KEYS`.
public struct ServeFlags: Sendable, Equatable {
    /// `--listen HOST:PORT|unix:PATH`.
    public var listen: String?
    /// `--admin-listen HOST:PORT|unix:PATH`.
    public var adminListen: String?
    /// `--public-url URL`, repeatable; empty when not given.
    public var publicURLs: [String]
    /// `--key-file PATH`.
    public var keyFile: String?
    /// `--data-dir PATH`.
    public var dataDir: String?
    /// `--max-skew SECONDS`.
    public var maxSkew: String?
    /// `--max-body SIZE` (`1048576`, `1MiB`, `512KiB`, `1m`, `64k`).
    public var maxBody: String?
    /// `--rotate-size SIZE`.
    public var rotateSize: String?
    /// `--max-connections N`.
    public var maxConnections: String?
    /// `--idle-timeout SECONDS`.
    public var idleTimeout: String?
    /// `--insecure-no-auth`: true when given, nil when not.
    public var insecureNoAuth: Bool?
    /// `--log-level LEVEL`.
    public var logLevel: String?
    /// `--log-format text|json`.
    public var logFormat: String?
    /// `--reconcile-every SPAN` (`10m`).
    public var reconcileEvery: String?
    /// `--reconcile-older-than SPAN`.
    public var reconcileOlderThan: String?
    /// `--region ID`, for the VOD API.
    public var region: String?
    /// `--endpoint URL`, for the VOD API.
    public var endpoint: String?
    /// `--signature-version v3|rpc`.
    public var signatureVersion: String?
    /// `--trusted-proxy ADDRESS|unix`, repeatable; empty when not given.
    public var trustedProxies: [String]

    /// Flags as given; everything defaults to "not given".
    public init(
        listen: String? = nil,
        adminListen: String? = nil,
        publicURLs: [String] = [],
        keyFile: String? = nil,
        dataDir: String? = nil,
        maxSkew: String? = nil,
        maxBody: String? = nil,
        rotateSize: String? = nil,
        maxConnections: String? = nil,
        idleTimeout: String? = nil,
        insecureNoAuth: Bool? = nil,
        logLevel: String? = nil,
        logFormat: String? = nil,
        reconcileEvery: String? = nil,
        reconcileOlderThan: String? = nil,
        region: String? = nil,
        endpoint: String? = nil,
        signatureVersion: String? = nil,
        trustedProxies: [String] = []
    ) {
        self.listen = listen
        self.adminListen = adminListen
        self.publicURLs = publicURLs
        self.keyFile = keyFile
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
        self.region = region
        self.endpoint = endpoint
        self.signatureVersion = signatureVersion
        self.trustedProxies = trustedProxies
    }
}
