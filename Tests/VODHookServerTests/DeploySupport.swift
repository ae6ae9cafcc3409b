import Foundation
import Testing

/// The files under deploy/ and the system programs that check them (installed by scripts/test).
enum DeploySupport {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The text of `deploy/<path>`.
    static func file(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("deploy/" + path), encoding: .utf8)
    }

    /// `name` on $PATH or in the sbin directories (nginx lives in /usr/sbin, not on every user's PATH).
    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        return directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The tool's path, or a test failure naming how to get it.
    static func require(_ name: String, package: String) throws -> String {
        guard let path = tool(name) else {
            throw ProcessHarnessError("\(name) is not installed: apt-get install \(package) (scripts/test does it as root)")
        }
        return path
    }

    /// Replaces `literal` in `text`; a literal missing from the file is a failure (the file changed
    /// under the test).
    static func substitute(_ text: inout String, _ literal: String, with value: String, in file: String) throws {
        guard text.contains(literal) else { throw ProcessHarnessError("\(file) no longer contains \(literal)") }
        text = text.replacingOccurrences(of: literal, with: value)
    }
}
