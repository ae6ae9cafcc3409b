internal import Configuration

/// Flags over environment over config file, as one swift-configuration `ConfigReader`, with the
/// source of each answer.
struct ConfigLayers {
    /// A value and where it was found.
    struct Sourced<Value> {
        var value: Value
        var source: ConfigSource
        /// The setting as spelled in `source`, for error messages.
        var name: String
    }

    private let reader: ConfigReader
    private let recorder = LookupRecorder()
    /// The source of each provider, in the reader's order.
    private let sources: [ConfigSource]
    private let fileNullKeys: Set<String>

    /// Layers `flags`, the `VODHOOK_*` variables of `environment` (empty ones count as unset) and `file`.
    init(flags: ServeFlags, environment: [String: String], file: YAMLConfigFile?) {
        let variables = environment.filter { $0.key.hasPrefix(SettingKey.environmentPrefix) && !$0.value.isEmpty }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: Self.values(of: flags)),
            EnvironmentVariablesProvider(
                environmentVariables: variables,
                secretsSpecifier: .specific([SettingKey.callbackKeys.environmentName])
            )
            // "max_skew" is looked up as "VODHOOK_MAX_SKEW".
            .prefixKeys(with: "vodhook"),
        ]
        var sources: [ConfigSource] = [.commandLine, .environment]
        if let file {
            providers.append(file.provider)
            sources.append(.configFile(path: file.path))
        }
        self.reader = ConfigReader(providers: providers, accessReporter: recorder)
        self.sources = sources
        self.fileNullKeys = file?.nullKeys ?? []
    }

    /// The winning single value of `key`, or nil when no layer sets it.
    func string(_ key: SettingKey) throws(ConfigError) -> Sourced<String>? {
        let value = reader.string(forKey: ConfigKey([key.fileKey]), isSecret: key.isSecret)
        switch lastAnswer() {
        case .none:
            return nil
        case .failed(let source):
            throw .invalidValue(key: key.name(in: source), source: source, value: nil, expected: "a single value, not a list")
        case .found(let source):
            guard let value, !isNull(key, in: source) else { return nil }
            return Sourced(value: value, source: source, name: key.name(in: source))
        }
    }

    /// The winning list of `key`: a list, a comma-separated variable, or a single string in the file.
    func list(_ key: SettingKey) throws(ConfigError) -> Sourced<[String]>? {
        let values = reader.stringArray(forKey: ConfigKey([key.fileKey]), isSecret: key.isSecret)
        switch lastAnswer() {
        case .none:
            return nil
        case .found(let source):
            guard let values, !isNull(key, in: source) else { return nil }
            return Sourced(value: values, source: source, name: key.name(in: source))
        case .failed:
            // Only the file can hold a plain string where a list is asked for: `public_url: https://…`.
            return try string(key).map { Sourced(value: [$0.value], source: $0.source, name: $0.name) }
        }
    }

    private enum Answer {
        case none
        case found(ConfigSource)
        case failed(ConfigSource)
    }

    /// Which provider answered the lookup just made: the first with a value, or the first that failed
    /// (swift-configuration stops at either).
    private func lastAnswer() -> Answer {
        guard let event = recorder.take() else { return .none }
        for (index, result) in event.providerResults.enumerated() where index < sources.count {
            switch result.result {
            case .success(let lookup) where lookup.value != nil: return .found(sources[index])
            case .success: continue
            case .failure: return .failed(sources[index])
            }
        }
        return .none
    }

    private func isNull(_ key: SettingKey, in source: ConfigSource) -> Bool {
        if case .configFile = source { return fileNullKeys.contains(key.fileKey) }
        return false
    }

    /// The flags given, as in-memory values under the file's key names.
    private static func values(of flags: ServeFlags) -> [AbsoluteConfigKey: ConfigValue] {
        let strings: [(SettingKey, String?)] = [
            (.listen, flags.listen), (.adminListen, flags.adminListen), (.keyFile, flags.keyFile),
            (.dataDir, flags.dataDir), (.maxSkew, flags.maxSkew), (.maxBody, flags.maxBody),
            (.rotateSize, flags.rotateSize), (.maxConnections, flags.maxConnections), (.idleTimeout, flags.idleTimeout),
            (.insecureNoAuth, flags.insecureNoAuth.map { String($0) }),
            (.logLevel, flags.logLevel), (.logFormat, flags.logFormat),
            (.reconcileEvery, flags.reconcileEvery), (.reconcileOlderThan, flags.reconcileOlderThan),
            (.region, flags.region), (.endpoint, flags.endpoint), (.signatureVersion, flags.signatureVersion),
        ]
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for case let (key, value?) in strings {
            values[AbsoluteConfigKey([key.fileKey])] = ConfigValue(.string(value), isSecret: key.isSecret)
        }
        if !flags.publicURLs.isEmpty {
            values[AbsoluteConfigKey([SettingKey.publicURL.fileKey])] = ConfigValue(.stringArray(flags.publicURLs), isSecret: false)
        }
        if !flags.trustedProxies.isEmpty {
            values[AbsoluteConfigKey([SettingKey.trustedProxy.fileKey])] = ConfigValue(.stringArray(flags.trustedProxies), isSecret: false)
        }
        return values
    }
}
