/// Everything about one setting of `serve`, written once: its value's syntax and checks, its
/// default, its documentation and whether a reload applies it.
///
/// The flag, the `VODHOOK_*` variable and the YAML key follow from ``SettingKey``; `--help`, the
/// README's settings table and `deploy/vodhook.example.yaml` are rendered from these fields
/// (``SettingsDocs``), and a test checks the committed files against them.
public struct SettingDeclaration: Sendable {
    /// How a value is given.
    public enum Input: Sendable, Equatable {
        /// One value.
        case single
        /// Several: a repeatable flag, a comma-separated variable, a YAML list (or one string).
        case list
        /// A flag without a value (`--insecure-no-auth`); `true`/`false` elsewhere.
        case toggle
    }

    /// What SIGHUP does with a changed value.
    public enum Reload: String, Sendable, Equatable {
        /// Applied to the next request; nothing in flight is dropped.
        case live
        /// Logged as needing a restart; the running value stays.
        case restart
    }

    /// The default: a value as it would be written in the file, or a description when there is none.
    public enum Default: Sendable, Equatable {
        case value(String)
        case unset(String)

        /// As shown in `--help` and the README.
        public var shown: String {
            switch self {
            case .value(let text), .unset(let text): text
            }
        }
    }

    /// The placeholder of the value in `--help`: `seconds`, `size`, `url`.
    public let valueName: String
    public let input: Input
    public let `default`: Default
    public let reload: Reload
    /// One or two sentences: `--help`, the README table and the example file.
    public let doc: String
    /// More for the example file only (caveats, longer advice); may be empty.
    public let details: String
    /// A commented-out YAML value shown in the example file, when the default shows too little.
    public let example: String?
    /// Callback keys: no flag (`ps` shows arguments), never shown in a log or an error.
    public let isSecret: Bool
    /// Checks the winning text(s) and stores the typed value.
    let apply: @Sendable (inout ServeSettings, SettingInput) throws(ConfigError) -> Void
    /// The value in `settings` as one short string, secrets counted: descriptions, reload diffs.
    /// Nil when another setting shows it (`region` is part of `endpoint`).
    let show: @Sendable (ServeSettings) -> String?

    init(
        _ valueName: String, _ input: Input = .single, default: Default, reload: Reload, secret: Bool = false,
        doc: String, details: String = "", example: String? = nil,
        show: @escaping @Sendable (ServeSettings) -> String?,
        apply: @escaping @Sendable (inout ServeSettings, SettingInput) throws(ConfigError) -> Void
    ) {
        self.valueName = valueName
        self.input = input
        self.default = `default`
        self.reload = reload
        self.isSecret = secret
        self.doc = doc
        self.details = details
        self.example = example
        self.show = show
        self.apply = apply
    }

    /// Whether the setting has a command-line flag.
    public var hasFlag: Bool { !isSecret }
}

/// The winning value(s) of one setting and where they came from, for its checks and their errors.
struct SettingInput {
    /// One text for a single value, one per entry for a list.
    let values: [String]
    let source: ConfigSource
    /// The setting as spelled in `source` (`--max-skew`, `VODHOOK_MAX_SKEW`, `max_skew`).
    let name: String

    /// The one value of a single setting.
    var text: String { values.first ?? "" }

    /// `parse(text)`, or an error naming the setting, its source, the value and `expected`.
    func parse<Value>(expected: String, _ parse: (String) -> Value?) throws(ConfigError) -> Value {
        try Self.parse(text, name: name, source: source, expected: expected, parse)
    }

    /// Every entry parsed, the first bad one named.
    func parseEach<Value>(expected: String, _ parse: (String) -> Value?) throws(ConfigError) -> [Value] {
        var parsed: [Value] = []
        for value in values {
            parsed.append(try Self.parse(value, name: name, source: source, expected: expected, parse))
        }
        return parsed
    }

    private static func parse<Value>(
        _ text: String, name: String, source: ConfigSource, expected: String, _ parse: (String) -> Value?
    ) throws(ConfigError) -> Value {
        guard let value = parse(text) else {
            throw .invalidValue(key: name, source: source, value: text, expected: expected)
        }
        return value
    }
}
