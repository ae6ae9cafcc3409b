import Foundation

/// A fresh directory under the system temporary directory, removed by ``withConfigScratch(_:)``.
struct ConfigScratch {
    let root: String

    init() throws {
        root =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("vodhook-config-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the scratch directory (not created).
    func path(_ name: String) -> String { root + "/" + name }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    /// Writes `bytes` to `name` with `mode` (0600: key files must be private) and returns its path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8], mode: Int = 0o600) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// The POSIX permission bits of `path`.
    func permissions(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Runs `body` with a fresh scratch directory and removes it afterwards, whatever happens.
func withConfigScratch<T>(_ body: (ConfigScratch) throws -> T) throws -> T {
    let scratch = try ConfigScratch()
    defer { scratch.remove() }
    return try body(scratch)
}
