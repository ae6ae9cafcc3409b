internal import Foundation
import VODHookCore
internal import Yams

/// The `--config` file: read once, parsed with Yams, its keys checked against ``SettingKey``.
struct YAMLConfigFile {
    /// The path as given.
    let path: String
    /// The text of each setting set: one for a single value, one per entry for a list (a list
    /// setting may also be one string). Keys with a null value (`admin_listen:`, `key_file: ~`)
    /// are left out: they count as not set.
    let values: [SettingKey: [String]]
    /// The file's text, for ``HandlerConfig`` to read `handlers:` from.
    var bytes: [UInt8] = []

    /// Reads, parses and checks the file at `path`.
    static func load(path: String) throws(ConfigError) -> YAMLConfigFile {
        let bytes: [UInt8]
        do throws(ConfigFileReader.Failure) {
            bytes = try ConfigFileReader.contents(of: path)
        } catch {
            switch error {
            case .notFound: throw .configFileNotFound(path: path)
            case .unreadable(let reason): throw .configFileUnreadable(path: path, reason: reason)
            }
        }
        let data = Data(bytes)
        let root: Node?
        do {
            root = try Parser(yaml: data).singleRoot()
        } catch {
            throw .configFileMalformed(path: path, reason: Self.reason(error))
        }
        // An empty file, one of comments only, or an empty document (`---`) sets nothing.
        guard let root, root.null == nil else {
            return YAMLConfigFile(path: path, values: [:], bytes: bytes)
        }
        guard let mapping = root.mapping else {
            throw .configFileMalformed(path: path, reason: "expected settings as `key: value` lines at the top level")
        }
        return YAMLConfigFile(path: path, values: try settings(mapping, path: path), bytes: bytes)
    }

    /// The settings' texts; refuses unknown keys and values of the wrong shape. `handlers:` is
    /// no setting: ``HandlerConfig`` reads it from ``bytes``.
    private static func settings(_ mapping: Node.Mapping, path: String) throws(ConfigError) -> [SettingKey: [String]] {
        let source = ConfigSource.configFile(path: path)
        let known = SettingKey.allCases.map(\.fileKey)
        var values: [SettingKey: [String]] = [:]
        for (keyNode, valueNode) in mapping {
            guard keyNode.scalar != nil, let name = keyNode.string else {
                let line = keyNode.mark.map { " at line \($0.line)" } ?? ""
                throw .configFileMalformed(path: path, reason: "a key\(line) is not a plain name")
            }
            if name == HandlerConfig.key { continue }  // checked by HandlerConfig
            guard let setting = SettingKey(rawValue: name) else {
                throw .unknownKey(
                    key: name, source: source, suggestion: SettingKey.suggestion(for: name, among: known + [HandlerConfig.key]))
            }
            if valueNode.null != nil { continue }
            switch valueNode {
            case .scalar(let scalar):
                values[setting] = [scalar.string]
            case .sequence(let sequence) where setting.isList:
                let strings = sequence.compactMap { $0.null == nil ? $0.scalar?.string : nil }
                guard strings.count == sequence.count else {
                    throw .invalidValue(key: name, source: source, value: nil, expected: "a list of strings")
                }
                values[setting] = strings
            case .sequence:
                throw .invalidValue(key: name, source: source, value: nil, expected: "a single value, not a list")
            case .mapping, .alias:
                let expected = setting.isList ? "a string or a list of strings" : "a single value"
                throw .invalidValue(key: name, source: source, value: nil, expected: "\(expected), not a mapping")
            }
        }
        return values
    }

    /// What went wrong and where, from libyaml's problem text: never the file's content, which
    /// may hold a callback key.
    private static func reason(_ error: any Error) -> String {
        guard let yamlError = error as? YamlError else { return "not valid YAML" }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "not valid YAML: \(problem) at line \(mark.line), column \(mark.column)"
        case .reader(let problem, _, _, _):
            return "not valid YAML: \(problem)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            return "duplicate key \(duplicates.joined(separator: ", ")) at line \(context.mark.line)"
        default:
            return "not valid YAML"
        }
    }
}
