/// Where `write` puts an event's file, relative to its `dir`: `{media_id}/{job_id}.{ai_type}.json`
/// unless the handler sets `template`.
///
/// Values from the body are sanitized before they enter the path (see ``PathComponent``), and the
/// template's own text may not climb out (`..`, an absolute path), so a rendered path always
/// names a file under `dir`.
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    /// Why a template was refused.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case placeholder(FieldTemplate.Problem)
        case empty
        case absolute
        /// An empty, `.` or `..` component, a component ending in `/`, or a NUL.
        case badComponent(String)

        public var description: String {
            switch self {
            case .placeholder(let problem): problem.description
            case .empty: "an empty template"
            case .absolute: "an absolute path; expected a path relative to dir"
            case .badComponent(let component):
                "path component \(component.debugDescription) is not allowed; expected names without '.', '..', empty parts or NUL"
            }
        }
    }

    public let template: FieldTemplate

    public static let standard: PathTemplate = {
        guard let template = try? PathTemplate(parsing: "{media_id}/{job_id}.{ai_type}.json") else {
            preconditionFailure("the standard path template is valid")
        }
        return template
    }()

    public init(parsing text: String) throws(Problem) {
        guard !text.isEmpty else { throw .empty }
        guard !text.hasPrefix("/") else { throw .absolute }
        guard !text.contains("\0") else { throw .badComponent(text) }
        do {
            template = try FieldTemplate(parsing: text)
        } catch {
            throw .placeholder(error)
        }
        // Checked with every placeholder as a plain name: only the template's own text can break a component.
        let sample = template.render { _ in "x" }
        for component in sample.split(separator: "/", omittingEmptySubsequences: false) where !PathComponent.isSafe(component) {
            throw .badComponent(String(component))
        }
    }

    /// The path under `dir` for this event, or nil if it would not be a plain relative path (it
    /// cannot happen with a template that parsed; checked again all the same).
    public func relativePath(for entry: LedgerEntry) -> String? {
        let path = template.render { field in PathComponent.sanitize(Self.pathValue(field, entry)) }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard components.allSatisfy(PathComponent.isSafe) else { return nil }
        return path
    }

    /// A value for a path: a JobId-less event is told apart by its seq, and an event that is no
    /// AI result by its type, so such events do not overwrite one another's file.
    static func pathValue(_ field: EventField, _ entry: LedgerEntry) -> String {
        if let value = field.value(in: entry), !value.isEmpty { return value }
        switch field {
        case .jobId: return "seq-\(entry.seq)"
        case .aiType: return entry.eventType ?? ""
        default: return ""
        }
    }

    public var description: String { template.text }
}

/// One name of a path made from a value of the body, which anyone who can forge a callback controls.
public enum PathComponent {
    /// Longest name kept, in characters (ids are 32).
    public static let maxLength = 128

    /// `[A-Za-z0-9._-]` kept, anything else (`/`, NUL, spaces, non-ASCII) becomes `_`; never empty
    /// and never starting with `.` (no `..`, no hidden files), at most ``maxLength`` characters.
    public static func sanitize(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars.prefix(maxLength) {
            let keep =
                scalar.isASCII
                && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                    || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == "-")
            out.unicodeScalars.append(keep ? scalar : "_")
        }
        if out.isEmpty { return "_" }
        if out.hasPrefix(".") { out = "_" + out.dropFirst() }
        return out
    }

    /// Whether a component of a relative path stays where it is: not empty, `.` or `..`, no NUL.
    public static func isSafe(_ component: some StringProtocol) -> Bool {
        !component.isEmpty && component != "." && component != ".." && !component.contains("\0")
    }
}
