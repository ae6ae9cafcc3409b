public import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ServerStatus {
    /// A running server's own figures, for the admin listener's `/status`: no ledger read, only
    /// the directory listed for the files' sizes.
    public static func live(writer: LedgerWriter, startedAt: Int64, now: Int64 = WallClock.milliseconds()) -> ServerStatus {
        let telemetry = writer.telemetry
        return ServerStatus(
            source: .admin, serving: true, ready: writer.isReady, startedAt: startedAt,
            uptimeSeconds: max(0, now - startedAt) / 1000, dataDir: writer.dataDir,
            files: ledgerFiles(LedgerReader(dataDir: writer.dataDir)), lastSeq: telemetry.lastSeq,
            pendingJobs: telemetry.pendingJobs, unknownJobs: telemetry.unknownJobs, lastEventAt: telemetry.lastEventAt)
    }

    /// The figures read from the ledger files, as a starting server would (read-only, no lock).
    /// `serving` says whether a server's control socket answers on this data directory.
    public static func read(dataDir: String) throws -> ServerStatus {
        let reader = LedgerReader(dataDir: dataDir)
        let files = ledgerFiles(reader)
        // The index a starting server builds, without its dedup table (a digest of every body).
        var index = CorrelationIndex()
        var lastSeq: UInt64 = 0
        var lastEventAt: Int64?
        try reader.forEachLine { line in
            guard line.terminated, let entry = try? LedgerLine.read(line.bytes) else { return }
            lastSeq = max(lastSeq, entry.seq)
            if entry.kind == .event { lastEventAt = max(lastEventAt ?? entry.at, entry.at) }
            index.absorb(entry)
        }
        let serving = ControlSocket.answers(dataDir: dataDir)
        return ServerStatus(
            source: .ledger, serving: serving, ready: serving ? nil : false, startedAt: nil, uptimeSeconds: nil,
            dataDir: dataDir, files: files, lastSeq: lastSeq, pendingJobs: index.pendingCount,
            unknownJobs: index.unansweredCount, lastEventAt: lastEventAt)
    }

    private static func ledgerFiles(_ reader: LedgerReader) -> [LedgerFile] {
        ((try? reader.files()) ?? []).compactMap { file in
            var info = stat()
            // Rotated away between the listing and this stat: it is listed again under its new name next time.
            guard stat(reader.dataDir + "/" + file.name, &info) == 0 else { return nil }
            return LedgerFile(name: file.name, bytes: Int64(info.st_size))
        }
    }
}
