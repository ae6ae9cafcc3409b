import Foundation
import SystemPackage
public import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `<data-dir>/checkpoints/checkpoint-<last seq>.bin`: the newest two are kept, so a checkpoint
/// found damaged at start still leaves the one before it. Each is written to a temporary name,
/// fsync'd, renamed, and the directory fsync'd: a crash at any point leaves the previous
/// checkpoints as they were and at worst a temporary file, which is never read.
public enum CheckpointStore {
    public static let directoryName = "checkpoints"
    static let kept = 2
    /// Bytes written between two syncs of a checkpoint being written.
    static let syncEvery = 4 << 20

    static func directory(_ dataDir: String) -> String { dataDir + "/" + directoryName }

    static func name(lastSeq: UInt64) -> String { "checkpoint-\(lastSeq).bin" }

    /// The last seq a checkpoint file's name says it covers; nil for any other name.
    static func lastSeq(ofName name: String) -> UInt64? {
        guard name.hasPrefix("checkpoint-"), name.hasSuffix(".bin") else { return nil }
        return UInt64(name.dropFirst("checkpoint-".count).dropLast(".bin".count))
    }

    /// Checkpoint files, newest first.
    static func names(_ dataDir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory(dataDir))) ?? []
        return names.compactMap { name in lastSeq(ofName: name).map { (name, $0) } }.sorted { $0.1 > $1.1 }.map(\.0)
    }

    /// The newest checkpoint that reads back whole, and why each newer one did not.
    public static func newest(dataDir: String) -> (
        checkpoint: (name: String, value: Checkpoint)?, rejected: [(name: String, problem: String)]
    ) {
        var rejected: [(String, String)] = []
        for name in names(dataDir) {
            let path = directory(dataDir) + "/" + name
            do {
                let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
                let checkpoint = try Checkpoint(decoding: bytes)
                guard lastSeq(ofName: name) == checkpoint.lastSeq else {
                    throw CheckpointError.corrupt(
                        "its name says seq \(lastSeq(ofName: name) ?? 0), its content \(checkpoint.lastSeq)")
                }
                return ((name, checkpoint), rejected)
            } catch {
                rejected.append((name, "\(error)"))
            }
        }
        return (nil, rejected)
    }

    /// Writes `checkpoint` durably, then removes all but the newest ``kept``.
    static func write(_ checkpoint: Checkpoint, dataDir: String, fileSystem: any LedgerFileSystem) throws(SystemError) {
        let directory = directory(dataDir)
        if try fileSystem.makeDirectory(directory, mode: 0o750) { try fileSystem.syncDirectory(dataDir) }
        let name = name(lastSeq: checkpoint.lastSeq)
        let temporary = directory + "/." + name + ".tmp"
        let fd = try fileSystem.open(temporary, .writeOnly, options: [.create, .truncate], permissions: FileIO.filePermissions)
        do throws(LedgerWriteError) {
            var failure: LedgerWriteError?
            var unsynced = 0
            checkpoint.encode { piece in
                guard failure == nil else { return }
                do throws(LedgerWriteError) {
                    try FileIO.writeAll(fd, piece)
                    unsynced += piece.count
                    // Synced as it grows: one fsync of a whole checkpoint at the end writes tens of
                    // MB at once, and the ledger's fdatasync (same disk, same ext4 journal) waited
                    // behind it for up to 0.6 s (bench/growth). A piece at a time, it waits for one.
                    if unsynced >= syncEvery {
                        try FileIO.dataSync(fd)
                        unsynced = 0
                    }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            // fsync, not fdatasync: the file is new, its size and blocks must be durable too.
            guard fsync(fd.rawValue) == 0 else { throw LedgerWriteError.io(operation: "fsync", errno: errno) }
        } catch {
            FileIO.close(fd)
            unlink(temporary)
            throw error.on(temporary)
        }
        FileIO.close(fd)
        try fileSystem.rename(temporary, to: directory + "/" + name)
        try fileSystem.syncDirectory(directory)
        for old in names(dataDir).dropFirst(kept) { unlink(directory + "/" + old) }
    }
}
