import VODHookCore

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A file of callback keys: one key per line; blank lines and lines starting with `#` are skipped;
/// surrounding whitespace and a CR before the newline are trimmed.
enum CallbackKeyFile {
    /// The keys in the file at `path`, in order. `setting` names what pointed at the file
    /// (`key_file`, `data_dir`) in error messages.
    static func read(path: String, setting: String) throws(ConfigError) -> [String] {
        guard let keys = try readIfPresent(path: path, setting: setting) else {
            throw .keyFileNotFound(path: path)
        }
        return keys
    }

    /// As ``read(path:setting:)``, but nil when there is no file at `path`.
    static func readIfPresent(path: String, setting: String) throws(ConfigError) -> [String]? {
        let bytes: [UInt8]
        do throws(ConfigFileReader.Failure) {
            bytes = try ConfigFileReader.contents(of: path)
        } catch {
            switch error {
            case .notFound: return nil
            case .unreadable(let reason): throw .keyFileUnreadable(path: path, reason: reason)
            }
        }
        try checkPrivate(path: path)
        return try parse(bytes, path: path, setting: setting)
    }

    /// Whoever can read a key can sign callbacks: like `credentials.ini`, the file must be the
    /// owner's alone (no permission bit for group or others).
    static func checkPrivate(path: String) throws(ConfigError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .keyFileUnreadable(path: path, reason: ConfigFileReader.reason(errno))
        }
        let mode = Int(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else { throw .keyFileNotPrivate(path: path, mode: mode) }
    }

    /// The keys in `bytes`; a bad line is named by its number, never by its content.
    static func parse(_ bytes: [UInt8], path: String, setting: String) throws(ConfigError) -> [String] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .keyFileUnreadable(path: path, reason: "not UTF-8 text")
        }
        var keys: [String] = []
        // `isNewline` splits at LF, CR and CRLF alike (CRLF is one Character), so line numbers hold.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
        for (index, line) in lines.enumerated() {
            let key = line.trimmingWhitespace()
            if key.isEmpty || key.hasPrefix("#") { continue }
            guard CallbackKeyRules.isValid(key) else {
                throw .invalidCallbackKey(key: setting, source: .keyFile(path: path), position: index + 1)
            }
            keys.append(key)
        }
        guard !keys.isEmpty else { throw .keyFileEmpty(path: path) }
        return keys
    }
}
