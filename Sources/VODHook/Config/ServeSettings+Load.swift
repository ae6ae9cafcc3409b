import VODHookCore

extension ServeSettings {
    /// The `VODHOOK_*` environment variables `serve` reads; any other `VODHOOK_*` variable is refused.
    public static var environmentVariableNames: [String] { SettingKey.allCases.map(\.environmentName) }

    /// The keys a `--config` YAML file may hold; any other key is refused.
    public static var configFileKeys: [String] { SettingKey.allCases.map(\.fileKey) }

    /// Layers `flags` over the `VODHOOK_*` variables in `environment` over the YAML file `configFile`
    /// (if any) over the defaults, and checks every value.
    ///
    /// - An unknown `VODHOOK_*` variable or file key, a value that cannot be used, or a missing,
    ///   unreadable or malformed `configFile` stops loading with a ``ConfigError`` naming the key
    ///   as spelled in its source.
    /// - An empty `VODHOOK_*` variable, and a key with an empty (null) value in the file, count as unset.
    /// - Relative paths (`key_file`, `data_dir`) stay relative to the working directory, wherever set.
    /// - Callback keys are checked here but never appear in an error; see ``CallbackKeySource`` for
    ///   the key file and the generated key.
    public static func load(
        flags: ServeFlags,
        environment: [String: String],
        configFile: String?
    ) throws(ConfigError) -> ServeSettings {
        try checkEnvironmentNames(environment)
        var file: YAMLConfigFile?
        if let configFile {
            file = try YAMLConfigFile.load(path: configFile)
        }
        let layers = ConfigLayers(flags: flags, environment: environment, file: file)
        var settings = ServeSettings()

        if let listen = try layers.string(.listen) {
            settings.listen = try parse(listen, expected: ListenAddress.expected, ListenAddress.init)
        }
        if let adminListen = try layers.string(.adminListen) {
            settings.adminListen = try parse(adminListen, expected: ListenAddress.expected, ListenAddress.init)
        }
        if let urls = try layers.list(.publicURL) {
            guard !urls.value.isEmpty else {
                throw .invalidValue(key: urls.name, source: urls.source, value: nil, expected: "one or more URLs")
            }
            settings.publicURLs = try urls.value.map { url throws(ConfigError) in
                let entry = ConfigLayers.Sourced(value: url, source: urls.source, name: urls.name)
                return try parse(entry, expected: SettingValue.expectedURL, SettingValue.callbackURL)
            }
        }
        if let keyFile = try layers.string(.keyFile) {
            settings.keyFile = try parse(keyFile, expected: SettingValue.expectedPath, SettingValue.path)
        }
        if let keys = try layers.list(.callbackKeys) {
            for (index, key) in keys.value.enumerated() where !CallbackKeyRules.isValid(key) {
                throw .invalidCallbackKey(key: keys.name, source: keys.source, position: index + 1)
            }
            settings.callbackKeys = keys.value
        }
        if let dataDir = try layers.string(.dataDir) {
            settings.dataDir = try parse(dataDir, expected: SettingValue.expectedPath, SettingValue.path)
        }
        if let maxSkew = try layers.string(.maxSkew) {
            settings.maxSkew = try parse(
                maxSkew, expected: SettingValue.expectedSeconds(in: maxSkewRange), { SettingValue.wholeNumber($0, in: maxSkewRange) })
        }
        if let maxBody = try layers.string(.maxBody) {
            settings.maxBody = try parse(maxBody, expected: ByteSize.expected, ByteSize.parse)
        }
        if let rotateSize = try layers.string(.rotateSize) {
            settings.rotateSize = try parse(rotateSize, expected: ByteSize.expected, ByteSize.parse)
        }
        if let cap = try layers.string(.maxConnections) {
            let range = maxConnectionsRange
            settings.maxConnections = try parse(
                cap, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)", { SettingValue.wholeNumber($0, in: range) })
        }
        if let idle = try layers.string(.idleTimeout) {
            settings.idleTimeout = try parse(
                idle, expected: SettingValue.expectedSeconds(in: idleTimeoutRange), { SettingValue.wholeNumber($0, in: idleTimeoutRange) })
        }
        if let insecure = try layers.string(.insecureNoAuth) {
            settings.insecureNoAuth = try parse(insecure, expected: SettingValue.expectedBool, SettingValue.bool)
            // Unsigned callbacks from the network would let anyone write the ledger.
            if settings.insecureNoAuth, !settings.listen.isLocalOnly {
                throw .invalidValue(
                    key: insecure.name, source: insecure.source, value: nil,
                    expected: "false while listen is \(settings.listen) (not loopback); it is allowed only on "
                        + "127.0.0.1, [::1], localhost or a unix: socket")
            }
        }
        if let level = try layers.string(.logLevel) {
            let expected = "one of " + logLevels.joined(separator: ", ")
            settings.logLevel = try parse(level, expected: expected, SettingValue.logLevel)
        }
        if let format = try layers.string(.logFormat) {
            let expected = "one of " + LogFormat.allCases.map(\.rawValue).joined(separator: ", ")
            settings.logFormat = try parse(format, expected: expected, SettingValue.logFormat)
        }
        if let every = try layers.string(.reconcileEvery) {
            settings.reconcileEvery = try parse(every, expected: SettingValue.expectedSpan, SettingValue.span)
        }
        if let older = try layers.string(.reconcileOlderThan) {
            settings.reconcileOlderThan = try parse(older, expected: SettingValue.expectedSpan, { TimeSpec.duration($0.trimmingWhitespace()) })
        }
        if let endpoint = try layers.string(.endpoint) {
            settings.endpoint = try parse(endpoint, expected: "an http(s)://host[:port] URL with no path", { try? VODEndpoint(url: $0) })
        } else if let region = try layers.string(.region) {
            settings.endpoint = try parse(region, expected: "a region ID such as cn-shanghai", { try? VODEndpoint(region: $0) })
        }
        if let style = try layers.string(.signatureVersion) {
            settings.signatureVersion = try parse(style, expected: "v3 or rpc", SigningStyle.init(rawValue:))
        }
        if let proxies = try layers.list(.trustedProxy) {
            guard let trusted = TrustedProxies(proxies.value) else {
                let bad = proxies.value.first { TrustedProxies([$0]) == nil }
                throw .invalidValue(key: proxies.name, source: proxies.source, value: bad, expected: TrustedProxies.expected)
            }
            settings.trustedProxies = trusted
        }
        return settings
    }

    private static func checkEnvironmentNames(_ environment: [String: String]) throws(ConfigError) {
        let known = environmentVariableNames
        let unknown = environment.keys.filter { $0.hasPrefix(SettingKey.environmentPrefix) && !known.contains($0) }
        if let name = unknown.sorted().first {
            throw .unknownKey(key: name, source: .environment, suggestion: SettingKey.suggestion(for: name, among: known))
        }
    }

    private static func parse<Value>(
        _ text: ConfigLayers.Sourced<String>,
        expected: String,
        _ parse: (String) -> Value?
    ) throws(ConfigError) -> Value {
        guard let value = parse(text.value) else {
            throw .invalidValue(key: text.name, source: text.source, value: text.value, expected: expected)
        }
        return value
    }
}
