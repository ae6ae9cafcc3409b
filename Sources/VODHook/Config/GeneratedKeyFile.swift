internal import Foundation
import SystemPackage

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Publishes a generated callback key at `<dataDir>/callback-key`, all or nothing.
enum GeneratedKeyFile {
    /// Writes `key` to `path` (mode 0600) unless a file is already there; true when this call
    /// published it, false when another file was there first.
    ///
    /// The key goes to a temporary file in the same directory, is fsynced, then hard-linked to
    /// `path`: `link` never replaces an existing file, and readers see either no file or the whole
    /// key. On a file system without hard links it falls back to `rename`.
    static func create(key: String, at path: String, dataDir: String) throws(ConfigError) -> Bool {
        do {
            try FileManager.default.createDirectory(
                atPath: dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw .keyGenerationFailed(path: path, reason: "cannot create the data directory \(dataDir)")
        }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try writeSynced(Array((key + "\n").utf8), to: temporary, finalPath: path)
        defer { unlink(temporary) }

        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST { return false }
            guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == EMLINK,
                rename(temporary, path) == 0
            else {
                throw .keyGenerationFailed(path: path, reason: ConfigFileReader.reason(code))
            }
        }
        syncDirectory(dataDir)
        return true
    }

    private static func writeSynced(_ bytes: [UInt8], to temporary: String, finalPath: String) throws(ConfigError) {
        let fd: FileDescriptor
        do {
            fd = try FileIO.open(temporary, .writeOnly, options: [.create, .exclusiveCreate], permissions: .ownerReadWrite)
        } catch {
            throw .keyGenerationFailed(path: finalPath, reason: ConfigFileReader.reason(error.errno))
        }
        var failure: Int32?
        // The umask may only take bits away; make the mode exactly 0600 all the same (fchmod and
        // fsync are raw: swift-system has neither).
        if fchmod(fd.rawValue, 0o600) != 0 { failure = errno }
        if failure == nil {
            do {
                _ = try fd.writeAll(bytes)
            } catch {
                failure = (error as? Errno)?.rawValue ?? EIO
            }
        }
        if failure == nil, fsync(fd.rawValue) != 0 { failure = errno }
        do {
            try fd.close()
        } catch {
            if failure == nil { failure = (error as? Errno)?.rawValue ?? EIO }
        }
        if let failure {
            unlink(temporary)
            throw .keyGenerationFailed(path: finalPath, reason: ConfigFileReader.reason(failure))
        }
    }

    /// Makes the new directory entry durable; best effort, as some file systems refuse it.
    private static func syncDirectory(_ directory: String) {
        guard let fd = try? FileIO.open(directory, .readOnly, options: .directory) else { return }
        _ = fsync(fd.rawValue)
        FileIO.close(fd)
    }
}
