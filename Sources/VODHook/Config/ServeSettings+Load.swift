import VODHookCore

extension ServeSettings {
    /// The `VODHOOK_*` environment variables `serve` reads; any other `VODHOOK_*` variable is refused.
    public static var environmentVariableNames: [String] { SettingKey.allCases.map(\.environmentName) }

    /// The keys a `--config` YAML file may hold; any other key is refused.
    public static var configFileKeys: [String] { SettingKey.allCases.map(\.fileKey) }

    /// Layers `flags` over the `VODHOOK_*` variables in `environment` over the YAML file `configFile`
    /// (if any) over the defaults, and checks every value with its ``SettingKey/declaration``.
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
        let layers = SettingLayers(flags: flags, environment: environment, file: file)
        var settings = ServeSettings()
        for key in SettingKey.allCases {
            if let input = layers.find(key) {
                try key.declaration.apply(&settings, input)
            }
        }
        // Unsigned callbacks from the network would let anyone write the ledger.
        if settings.insecureNoAuth, !settings.listen.isLocalOnly, let insecure = layers.find(.insecureNoAuth) {
            throw .invalidValue(
                key: insecure.name, source: insecure.source, value: nil,
                expected: "false while listen is \(settings.listen) (not loopback); it is allowed only on "
                    + "127.0.0.1, [::1], localhost or a unix: socket")
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
}
