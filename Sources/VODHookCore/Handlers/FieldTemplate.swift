/// Text with `{field}` placeholders (see ``EventField``), parsed once from the config.
///
/// `{` followed by lower-case letters and `_` and a `}` is a placeholder and must name a field;
/// any other brace is literal, so JSON such as `{"a":1}` passes through unchanged.
public struct FieldTemplate: Sendable, Hashable, CustomStringConvertible {
    enum Part: Sendable, Hashable {
        case literal(String)
        case field(EventField)
    }

    /// Why a template was refused.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownPlaceholder(String)

        public var description: String {
            switch self {
            case .unknownPlaceholder(let name):
                "unknown placeholder {\(name)}; expected one of \(EventField.placeholderList)"
            }
        }
    }

    let parts: [Part]
    /// The template as written.
    public let text: String

    public init(parsing text: String) throws(Problem) {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            let afterOpen = rest.index(after: open)
            let name = rest[afterOpen...].prefix { $0 == "_" || ("a"..."z").contains($0) }
            let close = name.endIndex
            guard !name.isEmpty, close < rest.endIndex, rest[close] == "}" else {
                literal.append("{")
                rest = rest[afterOpen...]
                continue
            }
            guard let field = EventField(rawValue: String(name)) else { throw .unknownPlaceholder(String(name)) }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.field(field))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
        self.text = text
    }

    /// The fields it names.
    public var fields: [EventField] {
        parts.compactMap { if case .field(let field) = $0 { field } else { nil } }
    }

    /// The text with each placeholder replaced by `value(field)`.
    public func render(_ value: (EventField) -> String) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .field(let field): out += value(field)
            }
        }
        return out
    }

    /// An argument for a program: each value as it is in the event, empty when absent, without
    /// NUL (which would cut a C string short).
    public func argument(for entry: LedgerEntry) -> String {
        render { field in (field.value(in: entry) ?? "").filter { $0 != "\0" } }
    }

    public var description: String { text }
}
