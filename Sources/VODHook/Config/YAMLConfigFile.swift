internal import Configuration
internal import Foundation
internal import Yams
import VODHookCore

/// The `--config` file: read once, its keys checked against ``SettingKey`` with Yams, its values
/// served through swift-configuration's ``YAMLSnapshot``.
struct YAMLConfigFile {
    /// The path as given.
    let path: String
    /// The file's values for a `ConfigReader`.
    let provider: any ConfigProvider
    /// Keys present with a YAML null value (`admin_listen:`, `key_file: ~`): treated as not set.
    let nullKeys: Set<String>
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
        let source = ConfigSource.configFile(path: path)

        let root: Node?
        do {
            root = try Parser(yaml: data).singleRoot()
        } catch {
            throw .configFileMalformed(path: path, reason: Self.reason(error))
        }
        // An empty file, one of comments only, or an empty document (`---`) sets nothing.
        guard let root, root.null == nil else {
            return YAMLConfigFile(path: path, provider: InMemoryProvider(name: "empty config file", values: [:]), nullKeys: [], bytes: bytes)
        }
        guard let mapping = root.mapping else {
            throw .configFileMalformed(path: path, reason: "expected settings as `key: value` lines at the top level")
        }
        let nullKeys = try checkKeys(mapping, path: path)

        let snapshot: YAMLSnapshot
        do {
            snapshot = try YAMLSnapshot(
                data: try settingsOnly(mapping, data: data).bytes,
                providerName: source.description,
                parsingOptions: .init(secretsSpecifier: .specific([SettingKey.callbackKeys.fileKey]))
            )
        } catch {
            // The keys passed the checks above, so this is a shape Yams accepts and the snapshot does not.
            throw .configFileMalformed(path: path, reason: "\(error)")
        }
        return YAMLConfigFile(path: path, provider: SnapshotProvider(fixedSnapshot: snapshot), nullKeys: nullKeys, bytes: bytes)
    }

    /// The file without its `handlers:` list, which the snapshot cannot hold (a list of mappings)
    /// and which is no setting: ``HandlerConfig`` reads it from ``bytes``.
    private static func settingsOnly(_ mapping: Node.Mapping, data: Data) throws -> Data {
        guard mapping[HandlerConfig.key] != nil else { return data }
        let settings = Node.Mapping(mapping.filter { $0.key.string != HandlerConfig.key })
        return Data(try serialize(node: .mapping(settings)).utf8)
    }

    /// Refuses unknown keys and values of the wrong shape; returns the keys set to null.
    private static func checkKeys(_ mapping: Node.Mapping, path: String) throws(ConfigError) -> Set<String> {
        let source = ConfigSource.configFile(path: path)
        let known = SettingKey.allCases.map(\.fileKey)
        var nullKeys = Set<String>()
        for (keyNode, valueNode) in mapping {
            guard keyNode.scalar != nil, let name = keyNode.string else {
                let line = keyNode.mark.map { " at line \($0.line)" } ?? ""
                throw .configFileMalformed(path: path, reason: "a key\(line) is not a plain name")
            }
            if name == HandlerConfig.key { continue }  // checked by HandlerConfig
            guard let setting = SettingKey(rawValue: name) else {
                throw .unknownKey(key: name, source: source, suggestion: SettingKey.suggestion(for: name, among: known + [HandlerConfig.key]))
            }
            if valueNode.null != nil {
                nullKeys.insert(name)
                continue
            }
            switch valueNode {
            case .scalar:
                continue
            case .sequence(let sequence) where setting.isList:
                guard sequence.allSatisfy({ $0.scalar != nil && $0.null == nil }) else {
                    throw .invalidValue(key: name, source: source, value: nil, expected: "a list of strings")
                }
            case .sequence:
                throw .invalidValue(key: name, source: source, value: nil, expected: "a single value, not a list")
            case .mapping, .alias:
                let expected = setting.isList ? "a string or a list of strings" : "a single value"
                throw .invalidValue(key: name, source: source, value: nil, expected: "\(expected), not a mapping")
            }
        }
        return nullKeys
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
