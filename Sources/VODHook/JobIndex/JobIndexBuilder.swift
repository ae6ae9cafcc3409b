import Dispatch
import Logging
import VODHookCore

/// Writes each rotated ledger file's sidecar off the writer thread, one file at a time: the
/// writer only enqueues the file it just rotated. A file whose sidecar is never written (a crash,
/// a failure) gets one from the first query that reads it.
final class JobIndexBuilder: Sendable {
    private let queue = DispatchQueue(label: "vodhook-job-index", qos: .utility)
    private let dataDir: String
    private let logger: Logger

    init(dataDir: String, logger: Logger) {
        self.dataDir = dataDir
        self.logger = logger
    }

    func rotated(_ file: LedgerFileName) {
        queue.async { [dataDir, logger] in
            do {
                try Self.build(dataDir: dataDir, file: file)
            } catch {
                logger.warning(
                    "job index not written; `vodhook job` scans this file until it is",
                    metadata: ["ledger.file": "\(file.name)", "error": "\(error)"])
            }
        }
    }

    /// Indexes `file` and writes its sidecar (nothing if it was archived away meanwhile).
    static func build(dataDir: String, file: LedgerFileName) throws {
        guard let ledger = try OpenLedgerFile(dataDir: dataDir, file: file) else { return }
        try IndexedLedgerFile(dataDir: dataDir, name: file, ledger: ledger).persist()
    }
}
