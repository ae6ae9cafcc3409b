import SystemPackage
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Start-up repair of the live ledger file after a crash: an unterminated last line is copied to
/// `ledger.jsonl.broken-<time>` (durably) and cut off, so appends start on a line boundary and
/// nothing is thrown away.
enum TornTailRecovery {
    struct Repaired {
        let brokenPath: String
        let bytes: Int64
        let leadingSeq: UInt64?
    }

    /// Repairs `path` if needed; `stamp` names the broken copy (e.g. `20261126T053315Z`).
    static func repair(path: String, stamp: String, fileSystem: any LedgerFileSystem) throws(SystemError) -> Repaired? {
        guard FileIO.exists(path) else { return nil }
        let fd = try FileIO.open(path, .readWrite)
        defer { FileIO.close(fd) }
        let size = try FileIO.size(fd, path: path)
        var end = size
        var validLength: Int64?
        // Walk back in chunks until a newline (or the start of the file) is found.
        while validLength == nil {
            let start = max(0, end - 65_536)
            let chunk = try FileIO.readAt(fd, count: Int(end - start), offset: start, path: path)
            validLength = TornTail.validLength(chunk: chunk, chunkOffset: start)
            end = start
        }
        guard let keep = validLength, keep < size else { return nil }
        let torn = try FileIO.readAt(fd, count: Int(size - keep), offset: keep, path: path)
        // Never overwrite an earlier broken copy (two crashes within one second share a stamp).
        var brokenPath = path + ".broken-" + stamp
        var suffix = 1
        while FileIO.exists(brokenPath) {
            brokenPath = path + ".broken-" + stamp + "-\(suffix)"
            suffix += 1
        }
        let out = try fileSystem.open(
            brokenPath, .writeOnly, options: [.create, .exclusiveCreate], permissions: FileIO.filePermissions)
        defer { FileIO.close(out) }
        do {
            try FileIO.writeAll(out, torn)
            try FileIO.dataSync(out)
        } catch {
            throw error.on(brokenPath)
        }
        // The copy's entry must be durable before the tail is cut, or a crash could lose both.
        try fileSystem.syncDirectory(directory(of: path))
        do {
            try fileSystem.truncate(fd, to: keep)
            try FileIO.dataSync(fd)
        } catch {
            throw error.on(path)
        }
        return Repaired(brokenPath: brokenPath, bytes: size - keep, leadingSeq: LedgerLine.leadingSeq(torn))
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
