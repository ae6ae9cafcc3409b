import SystemPackage
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A ledger file's job index on disk, `index/<ledger file name>.idx` in the data directory
/// (codec: ``JobIndexFile``). Never the source of truth: a missing, old, torn, corrupt or stale
/// one is not used, and the ledger file is scanned instead.
struct JobIndexSidecar {
    static let directory = "index"

    let header: JobIndexFile.Header
    private let fd: FileDescriptor
    private let path: String

    static func path(dataDir: String, file: LedgerFileName) -> String {
        dataDir + "/" + directory + "/" + file.name + ".idx"
    }

    /// The sidecar of `file`, if there is one that fits `ledger` as it is now: every byte it
    /// covers still there, the last of them the same. Nil otherwise.
    static func open(dataDir: String, file: LedgerFileName, ledger: OpenLedgerFile, ledgerSize: Int64) -> JobIndexSidecar? {
        let path = path(dataDir: dataDir, file: file)
        guard let fd = try? FileIO.open(path, .readOnly) else { return nil }
        guard let bytes = try? FileIO.readAt(fd, count: JobIndexFile.headerSize, offset: 0, path: path),
            let header = try? JobIndexFile.header(bytes),
            (try? FileIO.size(fd, path: path)) == header.fileSize,
            header.covered <= ledgerSize,
            (try? tailCRC(ledger, covered: header.covered)) == header.tailCRC
        else {
            FileIO.close(fd)
            return nil
        }
        return JobIndexSidecar(header: header, fd: fd, path: path)
    }

    func close() { FileIO.close(fd) }

    /// The line offsets recorded under `hash`: one bucket read and checked.
    func offsets(_ hash: UInt64) throws -> [UInt64] {
        let bucket = header.bucket(of: hash)
        let entries = try FileIO.readAt(
            fd, count: 2 * JobIndexFile.entrySize, offset: header.entryOffset(bucket: bucket), path: path)
        let (start, end, crc) = try JobIndexFile.span(entries, header: header)
        let bytes = try FileIO.readAt(
            fd, count: (end - start) * JobIndexFile.recordSize,
            offset: header.recordsOffset + Int64(start * JobIndexFile.recordSize), path: path)
        return try JobIndexFile.records(bytes, crc: crc, bucket: bucket, header: header).filter { $0.hash == hash }.map(\.offset)
    }

    /// Every record, to write a sidecar that covers more of a growing file.
    func allRecords() throws -> [JobIndexFile.Record] {
        let bytes = try FileIO.readAt(fd, count: Int(header.fileSize), offset: 0, path: path)
        return try JobIndexFile.allRecords(bytes).1
    }

    /// The CRC-32 of the last ``JobIndexFile/tailSpan`` bytes before `covered`.
    static func tailCRC(_ ledger: OpenLedgerFile, covered: Int64) throws -> UInt32 {
        let start = max(0, covered - JobIndexFile.tailSpan)
        let bytes = try ledger.bytes(count: Int(covered - start), at: start)
        guard bytes.count == covered - start else { throw SystemError("read", path: "ledger", errno: EIO) }
        return CRC32.checksum(bytes)
    }

    /// Writes the sidecar of `file` so that it is whole or absent after a crash: a temp file,
    /// fsync, rename, directory fsync (a sidecar lost by a crash is only rebuilt).
    static func write(_ bytes: [UInt8], dataDir: String, file: LedgerFileName) throws {
        let directory = dataDir + "/" + directory
        if mkdir(directory, 0o750) == 0 {
            try FileIO.syncDirectory(dataDir)
        } else if errno != EEXIST {
            throw SystemError("mkdir", path: directory, errno: errno)
        }
        let path = path(dataDir: dataDir, file: file)
        // Own name per process: a query and serve's builder may write the same sidecar at once.
        let temporary = path + ".tmp.\(getpid())"
        try FileIO.replace(path, with: bytes, temporary: temporary, directory: directory)
    }
}
