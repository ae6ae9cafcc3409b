/// What `vodhook status` shows, and what the admin listener's `/status` answers: the same
/// figures whether a running server gave them or the ledger files were read.
public struct ServerStatus: Sendable, Equatable, Codable {
    /// Who answered: a running server's admin endpoint, or the ledger files read directly.
    public enum Source: String, Sendable, Codable {
        case admin
        case ledger
    }

    public struct LedgerFile: Sendable, Equatable, Codable {
        public var name: String
        public var bytes: Int64

        public init(name: String, bytes: Int64) {
            self.name = name
            self.bytes = bytes
        }
    }

    public var source: Source
    /// A server is running on this data directory (for `.ledger`: its control socket answered).
    public var serving: Bool
    /// The ledger takes writes (`/readyz`); false when no server runs, nil when one runs but
    /// only its files were read.
    public var ready: Bool?
    /// When the server started (Unix ms), and how long ago that was when it answered; nil when none runs.
    public var startedAt: Int64?
    public var uptimeSeconds: Int64?
    public var dataDir: String
    /// In reading order: rotated files by first seq, then `ledger.jsonl`.
    public var files: [LedgerFile]
    public var lastSeq: UInt64
    public var pendingJobs: Int
    public var unknownJobs: Int
    /// When the latest event line was written (Unix ms).
    public var lastEventAt: Int64?

    public init(
        source: Source, serving: Bool, ready: Bool?, startedAt: Int64?, uptimeSeconds: Int64?, dataDir: String,
        files: [LedgerFile],
        lastSeq: UInt64, pendingJobs: Int, unknownJobs: Int, lastEventAt: Int64?
    ) {
        self.source = source
        self.serving = serving
        self.ready = ready
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.dataDir = dataDir
        self.files = files
        self.lastSeq = lastSeq
        self.pendingJobs = pendingJobs
        self.unknownJobs = unknownJobs
        self.lastEventAt = lastEventAt
    }

    enum CodingKeys: String, CodingKey {
        case source, serving, ready, files
        case startedAt = "started_at"
        case uptimeSeconds = "uptime_seconds"
        case dataDir = "data_dir"
        case lastSeq = "last_seq"
        case pendingJobs = "pending_jobs"
        case unknownJobs = "unknown_jobs"
        case lastEventAt = "last_event_at"
    }

    public var ledgerBytes: Int64 { files.reduce(0) { $0 + $1.bytes } }

    /// The human form: one fact a line, `where` saying which source answered.
    public func text(now: Int64, where origin: String) -> String {
        var lines: [String] = []
        func add(_ name: String, _ value: String) { lines.append((name + ":").padding(to: 12) + value) }
        add("source", "\(source == .admin ? "admin endpoint" : "ledger files") \(origin)")
        if let startedAt, let uptime = uptimeSeconds {
            add(
                "serve",
                "running for \(TimeSpec.age(milliseconds: uptime * 1000)) (since \(EventTime.rfc3339(milliseconds: startedAt)))")
        } else {
            add("serve", serving ? "running (ask its --admin listener for uptime and readiness)" : "not running")
        }
        add("ready", ready.map { $0 ? "yes" : "no" } ?? "unknown (ask --admin)")
        add("data dir", dataDir)
        add("ledger", "\(files.count) file\(files.count == 1 ? "" : "s"), \(ledgerBytes) bytes, last seq \(lastSeq)")
        for file in files { lines.append("  " + file.name.padding(to: 40) + "\(file.bytes) bytes") }
        add("jobs", "\(pendingJobs) pending, \(unknownJobs) unknown")
        add(
            "last event",
            lastEventAt.map { "\(EventTime.rfc3339(milliseconds: $0)) (\(TimeSpec.age(milliseconds: now - $0)) ago)" } ?? "none")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
