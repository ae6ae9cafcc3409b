public import VODHookCore

/// Why `serve`'s configuration could not be loaded, or its callback keys not resolved.
///
/// Every message is one line (one per problem for ``invalidHandlers(path:_:)``) and names the setting as it is spelled where it was found
/// (`max_skew` in a file, `VODHOOK_MAX_SKEW` in the environment, `--max-skew` on the command line).
/// A message never contains a callback key: a bad key is named by its line or entry number.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file named with `--config` does not exist.
    case configFileNotFound(path: String)
    /// The file named with `--config` exists but cannot be read (permissions, a directory, …).
    case configFileUnreadable(path: String, reason: String)
    /// The file named with `--config` is not YAML, or not a mapping of settings. `reason` never quotes the file.
    case configFileMalformed(path: String, reason: String)
    /// A key that `serve` does not know: a config-file key or a `VODHOOK_*` environment variable.
    case unknownKey(key: String, source: ConfigSource, suggestion: String?)
    /// A setting with a value `serve` cannot use. `value` is nil when it is not shown: the setting
    /// is secret, or the problem is the value's shape (a list or a mapping where one value belongs).
    case invalidValue(key: String, source: ConfigSource, value: String?, expected: String)
    /// A callback key that is empty or contains whitespace or control characters.
    /// `position` is the line of a key file, or the entry of a list; the key itself is never kept.
    case invalidCallbackKey(key: String, source: ConfigSource, position: Int)
    /// The key file (`key_file`) does not exist.
    case keyFileNotFound(path: String)
    /// The key file exists but cannot be read, or is not UTF-8.
    case keyFileUnreadable(path: String, reason: String)
    /// The key file can be read (or written) by its group or by others.
    case keyFileNotPrivate(path: String, mode: Int)
    /// The key file holds no key (only blank lines and comments).
    case keyFileEmpty(path: String)
    /// A new callback key could not be written to `path`.
    case keyGenerationFailed(path: String, reason: String)
    /// The `handlers:` list of the config file has problems: each names its handler and key.
    case invalidHandlers(path: String, HandlerConfigErrors)

    /// One line for an operator: what, where, and what was expected.
    public var description: String {
        switch self {
        case .configFileNotFound(let path):
            return "config file \(path) (--config) does not exist"
        case .configFileUnreadable(let path, let reason):
            return "config file \(path) (--config) cannot be read: \(Self.oneLine(reason))"
        case .configFileMalformed(let path, let reason):
            return "config file \(path) (--config) is not usable: \(Self.oneLine(reason))"
        case .unknownKey(let key, let source, let suggestion):
            let hint = suggestion.map { "; did you mean \($0)?" } ?? ""
            switch source {
            case .environment: return "unknown environment variable \(key)\(hint)"
            case .commandLine: return "unknown option \(key)\(hint)"
            default: return "\(source): unknown key \(key)\(hint)"
            }
        case .invalidValue(let key, let source, let value, let expected):
            // A nil value is not shown: a secret, or a shape (list, mapping) rather than a value.
            let shown = value.map { "\(Self.quoted($0)) is not valid" } ?? "not valid"
            return "\(Self.place(key: key, source: source)): \(shown); expected \(expected)"
        case .invalidCallbackKey(let key, let source, let position):
            let what = if case .keyFile = source { "line \(position)" } else { "entry \(position)" }
            return "\(Self.place(key: key, source: source)): \(what) is not a valid callback key (value hidden); "
                + "expected a non-empty key without whitespace or control characters"
        case .keyFileNotFound(let path):
            return "key file \(path) (key_file) does not exist"
        case .keyFileUnreadable(let path, let reason):
            return "key file \(path) cannot be read: \(Self.oneLine(reason))"
        case .keyFileNotPrivate(let path, let mode):
            return "key file \(path) is mode \(String(mode, radix: 8)), open to other users; "
                + "run chmod 600 \(path) (owned by the user serve runs as)"
        case .keyFileEmpty(let path):
            return "key file \(path) holds no key; expected one key per line"
        case .keyGenerationFailed(let path, let reason):
            return "cannot write a new callback key to \(path) (data_dir): \(Self.oneLine(reason))"
        case .invalidHandlers(let path, let problems):
            return problems.errors.map { "config file \(path) (--config): \($0)" }.joined(separator: "\n")
        }
    }

    /// `--max-skew`, `environment variable VODHOOK_MAX_SKEW`, `config file PATH: max_skew`.
    private static func place(key: String, source: ConfigSource) -> String {
        switch source {
        case .commandLine: key
        case .environment: "environment variable \(key)"
        case .configFile, .keyFile: "\(source): \(key)"
        case .defaults: "default \(key)"
        }
    }

    /// A quoted, escaped, shortened value: never breaks the message across lines.
    private static func quoted(_ value: String) -> String {
        let limit = 80
        let shown = value.count > limit ? String(value.prefix(limit)) + "…" : value
        return shown.debugDescription
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
