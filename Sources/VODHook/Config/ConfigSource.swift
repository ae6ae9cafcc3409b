/// Where a setting, or a problem with one, came from.
public enum ConfigSource: Sendable, Hashable, CustomStringConvertible {
    /// A command-line flag of `vodhook serve`.
    case commandLine
    /// A `VODHOOK_*` environment variable.
    case environment
    /// The YAML file given with `--config`.
    case configFile(path: String)
    /// A file of callback keys: `key_file` or `<data_dir>/callback-key`.
    case keyFile(path: String)
    /// Nothing set it: the built-in default.
    case defaults

    /// For error messages: `command line`, `environment`, `config file PATH`, `key file PATH`, `default`.
    public var description: String {
        switch self {
        case .commandLine: "command line"
        case .environment: "environment"
        case .configFile(let path): "config file \(path)"
        case .keyFile(let path): "key file \(path)"
        case .defaults: "default"
        }
    }
}
