internal import Foundation
internal import Yams

/// The `handlers:` list of the config file, read and checked as a whole: every problem of every
/// handler is reported at once, each naming the handler and the key.
///
/// ```yaml
/// handlers:
///   - name: save
///     match: { event: VideoAIComplete, status: success }
///     write: { dir: /var/lib/vodhook/results }
/// ```
public enum HandlerConfig {
    /// The config file's top-level key.
    public static let key = "handlers"

    /// The handlers of a config file's YAML text; none when it has no `handlers` key (or a null
    /// one). Only that key is read: the other keys are `serve`'s settings, checked by it.
    public static func parse(yaml: [UInt8]) throws(HandlerConfigErrors) -> [HandlerSpec] {
        let root: Node?
        do {
            root = try Parser(yaml: Data(yaml)).singleRoot()
        } catch {
            throw HandlerConfigErrors([
                HandlerConfigError(index: nil, handler: nil, key: "", line: nil, problem: "the file is not valid YAML")
            ])
        }
        guard let list = root?.mapping?[key], list.null == nil else { return [] }
        return try parse(list: list)
    }

    static func parse(list: Node) throws(HandlerConfigErrors) -> [HandlerSpec] {
        guard let sequence = list.sequence else {
            throw HandlerConfigErrors([
                HandlerConfigError(
                    index: nil, handler: nil, key: "", line: list.line,
                    problem: "expected a list of handlers (`- name: …` entries)")
            ])
        }
        var errors: [HandlerConfigError] = []
        var specs: [HandlerSpec] = []
        var firstLineOfName: [String: Int] = [:]
        for (offset, node) in sequence.enumerated() {
            var reader = HandlerReader(index: offset + 1)
            if let spec = reader.handler(node) {
                if let earlier = firstLineOfName[spec.name] {
                    reader.fail(
                        "name", node.mapping?["name"],
                        "\(spec.name.debugDescription) is already the name of handlers[\(earlier)]; names must be unique")
                } else {
                    firstLineOfName[spec.name] = offset + 1
                    if reader.errors.isEmpty { specs.append(spec) }
                }
            }
            errors += reader.errors
        }
        guard errors.isEmpty else { throw HandlerConfigErrors(errors) }
        return specs
    }
}

extension Node {
    /// The 1-based line where the node starts, if known.
    var line: Int? { mark?.line }
}
