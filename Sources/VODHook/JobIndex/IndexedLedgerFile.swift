import VODHookCore

/// One ledger file as the job index reads it: its sidecar for the bytes the sidecar covers, and
/// an index built in memory of the whole lines after them (all of the file when it has no
/// usable sidecar: the scan the sidecar saves).
final class IndexedLedgerFile {
    let name: LedgerFileName
    private let dataDir: String
    private let ledger: OpenLedgerFile
    private var sidecar: JobIndexSidecar?
    /// Records of the lines after the sidecar's end, sorted.
    private var tail: [JobIndexFile.Record] = []
    private var tailStart: Int64 = 0
    /// The end of the last whole line read.
    private var end: Int64 = 0

    init(dataDir: String, name: LedgerFileName, ledger: OpenLedgerFile) throws {
        self.dataDir = dataDir
        self.name = name
        self.ledger = ledger
        let size = try ledger.currentSize()
        sidecar = JobIndexSidecar.open(dataDir: dataDir, file: name, ledger: ledger, ledgerSize: size)
        let covered = sidecar?.header.covered ?? 0
        if covered < size {
            try indexTail(from: covered)
        } else {
            tailStart = covered
            end = covered
        }
    }

    deinit { sidecar?.close() }

    /// Whether this file is indexed in memory past its sidecar by at least `bytes`.
    func unindexed(atLeast bytes: Int64) -> Bool { end - tailStart >= bytes && end > 0 }

    private func indexTail(from start: Int64) throws {
        tailStart = start
        end = start
        ledger.seek(to: start)
        var records: [JobIndexFile.Record] = []
        try ledger.readToEnd { line in
            // An unterminated last line is still being written: not indexed (and never finished here).
            end = line.offset + Int64(line.bytes.count) + 1
            guard let entry = try? LedgerLine.read(line.bytes) else { return }
            for key in JobIndexKey.keys(of: entry) {
                records.append(JobIndexFile.Record(hash: key.hash, offset: UInt64(line.offset)))
            }
        }
        tail = records.sorted()
    }

    /// The whole lines of this file found under any of `keys`, each checked to carry one.
    func lines(_ keys: Set<JobIndexKey>) throws -> [JobHistory.Line] {
        var offsets: Set<UInt64> = []
        for key in keys {
            let hash = key.hash
            if let sidecar {
                do {
                    offsets.formUnion(try sidecar.offsets(hash))
                } catch {
                    // A bucket torn or flipped since the header was checked: this file is scanned.
                    sidecar.close()
                    self.sidecar = nil
                    try indexTail(from: 0)
                    return try lines(keys)
                }
            }
            var index = lowerBound(hash)
            while index < tail.count, tail[index].hash == hash {
                offsets.insert(tail[index].offset)
                index += 1
            }
        }
        return try offsets.sorted().compactMap { offset in
            guard let bytes = try line(at: Int64(offset)), let entry = try? LedgerLine.read(bytes[...]),
                !keys.isDisjoint(with: JobIndexKey.keys(of: entry))
            else { return nil }
            return JobHistory.Line(entry: entry, text: String(decoding: bytes, as: UTF8.self))
        }
    }

    private func lowerBound(_ hash: UInt64) -> Int {
        var low = 0
        var high = tail.count
        while low < high {
            let middle = (low + high) / 2
            if tail[middle].hash < hash { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The whole line starting at `offset`; nil if no line starts there.
    private func line(at offset: Int64) throws -> [UInt8]? {
        guard offset < end else { return nil }
        let before = offset > 0 ? 1 : 0
        var bytes = try ledger.bytes(count: 4096, at: offset - Int64(before))
        if before == 1 {
            guard bytes.first == 0x0A else { return nil }
            bytes.removeFirst()
        }
        var searched = 0
        while true {
            if let newline = bytes[searched...].firstIndex(of: 0x0A) { return Array(bytes[..<newline]) }
            searched = bytes.count
            let more = try ledger.bytes(count: max(4096, bytes.count), at: offset + Int64(bytes.count))
            if more.isEmpty { return nil }
            bytes += more
        }
    }

    /// Writes the sidecar over every whole line read, if anything was read past the one there.
    /// Failing to (a read-only data directory) only means the next query scans again.
    func persist() throws {
        guard end > tailStart else { return }
        var records = tail
        if let sidecar { records += try sidecar.allRecords() }
        let bytes = JobIndexFile.encode(records, covered: end, tailCRC: try JobIndexSidecar.tailCRC(ledger, covered: end))
        try JobIndexSidecar.write(bytes, dataDir: dataDir, file: name)
        sidecar?.close()
        sidecar = JobIndexSidecar.open(dataDir: dataDir, file: name, ledger: ledger, ledgerSize: try ledger.currentSize())
        if sidecar?.header.covered == end {
            tail = []
            tailStart = end
        } else {
            // Not readable back (removed at once, or another writer's): keep every record in memory.
            sidecar?.close()
            sidecar = nil
            tail = records.sorted()
            tailStart = 0
        }
    }
}
