import Dispatch
import Foundation
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
            let removed = Self.removeOrphans(dataDir: dataDir)
            if !removed.isEmpty {
                logger.info(
                    "removed the job index of ledger files no longer in the data directory",
                    metadata: ["index.files": "\(removed.joined(separator: " "))"])
            }
        }
    }

    /// Removes each rotated file's sidecar whose ledger file is gone (archived or deleted by the
    /// operator): nothing reads them again, and `index/` would otherwise grow with history.
    /// Returns the sidecars' names.
    @discardableResult
    static func removeOrphans(dataDir: String) -> [String] {
        let directory = dataDir + "/" + JobIndexSidecar.directory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard name.hasSuffix(".idx"), case .rotated = LedgerFileName(String(name.dropLast(4))) else { return false }
            guard !FileManager.default.fileExists(atPath: dataDir + "/" + name.dropLast(4)) else { return false }
            return (try? FileManager.default.removeItem(atPath: directory + "/" + name)) != nil
        }
    }

    /// Indexes `file` and writes its sidecar (nothing if it was archived away meanwhile).
    static func build(dataDir: String, file: LedgerFileName) throws {
        guard let ledger = try OpenLedgerFile(dataDir: dataDir, file: file) else { return }
        try IndexedLedgerFile(dataDir: dataDir, name: file, ledger: ledger).persist()
    }
}
