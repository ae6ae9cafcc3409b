/// One setting of `serve` and how it is spelled in each source; everything else about it (type,
/// default, doc, validation, reload) is its ``declaration``.
///
/// The raw value is the config-file key; the environment variable is `VODHOOK_` + its upper case,
/// the flag is `--` + it with dashes. The order is the order of `--help`, the README table and
/// the example file; `region` comes before `endpoint`, which overrides it.
public enum SettingKey: String, CaseIterable, Sendable {
    case listen
    case adminListen = "admin_listen"
    case publicURL = "public_url"
    case keyFile = "key_file"
    case callbackKeys = "callback_keys"
    case dataDir = "data_dir"
    case maxSkew = "max_skew"
    case maxBody = "max_body"
    case rotateSize = "rotate_size"
    case dedupWindow = "dedup_window"
    case maxConnections = "max_connections"
    case idleTimeout = "idle_timeout"
    case insecureNoAuth = "insecure_no_auth"
    case logLevel = "log_level"
    case logFormat = "log_format"
    case reconcileEvery = "reconcile_every"
    case reconcileOlderThan = "reconcile_older_than"
    case region
    case endpoint
    case signatureVersion = "signature_version"
    case trustedProxy = "trusted_proxy"

    /// The prefix of every environment variable `serve` reads.
    static let environmentPrefix = "VODHOOK_"

    /// The key in the YAML file.
    public var fileKey: String { rawValue }

    /// The environment variable, e.g. `VODHOOK_MAX_SKEW`.
    public var environmentName: String { Self.environmentPrefix + rawValue.uppercased() }

    /// The command-line flag without its dashes, e.g. `max-skew`.
    public var flagStem: String { String(rawValue.map { $0 == "_" ? "-" : $0 }) }

    /// The command-line flag, e.g. `--max-skew`.
    public var flagName: String { "--" + flagStem }

    /// Callback keys are secret: never logged, never in an error message.
    var isSecret: Bool { declaration.isSecret }

    /// Settings that take several values: a YAML list or one string, a comma-separated variable.
    var isList: Bool { declaration.input == .list }

    /// The setting as it is spelled in `source`.
    func name(in source: ConfigSource) -> String {
        switch source {
        case .commandLine: flagName
        case .environment: environmentName
        case .configFile, .keyFile, .defaults: fileKey
        }
    }

    /// The known key closest to an unknown one, if it looks like a typo of it.
    static func suggestion(for unknown: String, among known: [String]) -> String? {
        let best = known.map { ($0, editDistance(unknown.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, unknown.count / 4) else { return nil }
        return best.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.count]
    }
}
