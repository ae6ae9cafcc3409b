import Crypto

/// What start-up derives from the ledger, kept so the next start reads only the lines after it:
/// the last seq it covers, where the reader resumes, the dedup state, the correlation index and
/// the jobs still open (``OpenJobs``).
///
/// Binary, versioned and checksummed (docs/ledger.md, "Checkpoints"): a magic, the format
/// version, sections (tag, version, length, payload) and a SHA-256 of everything before it. A
/// section this version does not know is kept and written back as it was (the handler
/// dispatcher's state will be one); a known section in a version it cannot read makes the whole
/// checkpoint unusable, and start-up reads the files instead.
public struct Checkpoint: Sendable, Equatable {
    /// Every line with a seq up to this one is folded in; later lines are not.
    public var lastSeq: UInt64
    /// The file the reader resumes in (named by its first seq, which it keeps when it rotates)
    /// and the byte offset in it where the first line after ``lastSeq`` starts.
    public var resume: Resume?
    public var recorded: RecordedEvents
    public var index: CorrelationIndex
    public var open: OpenJobs
    /// What resubmit handlers did about failed jobs.
    public var resubmits: ResubmitBook
    /// Sections of other parts, by tag: kept verbatim.
    public var otherSections: [UInt32: Section]

    public struct Resume: Sendable, Equatable {
        public var fileFirstSeq: UInt64
        public var offset: Int64

        public init(fileFirstSeq: UInt64, offset: Int64) {
            self.fileFirstSeq = fileFirstSeq
            self.offset = offset
        }
    }

    public struct Section: Sendable, Equatable {
        public var version: UInt32
        public var payload: [UInt8]

        public init(version: UInt32, payload: [UInt8]) {
            self.version = version
            self.payload = payload
        }
    }

    public init(
        lastSeq: UInt64, resume: Resume?, recorded: RecordedEvents, index: CorrelationIndex, open: OpenJobs = OpenJobs(),
        resubmits: ResubmitBook = ResubmitBook(), otherSections: [UInt32: Section] = [:]
    ) {
        self.lastSeq = lastSeq
        self.resume = resume
        self.recorded = recorded
        self.index = index
        self.open = open
        self.resubmits = resubmits
        self.otherSections = otherSections
    }

    public static let magic = Array("VODHOOK-CHECKPOINT\n".utf8)
    public static let formatVersion: UInt32 = 1

    /// Section tags. 4 is the handler dispatcher's (its ``DispatchBook``), not written yet.
    public enum Tag {
        /// The version each known section is written in, and the only one read: dedup and index
        /// are 2 since they carry each entry's time (the window forgets by it).
        /// Open jobs are 2 since they are binary (1 was JSON, too slow to read at 500 k jobs).
        static let versions: [UInt32: UInt32] = [position: 1, dedup: 2, index: 2, open: 2, resubmits: 1]

        public static let position: UInt32 = 1
        public static let dedup: UInt32 = 2
        public static let index: UInt32 = 3
        public static let dispatch: UInt32 = 4
        /// The open jobs (``OpenJobs``), every field, read back exactly.
        public static let open: UInt32 = 5
        /// The ``ResubmitBook``: without it a start from a checkpoint could submit a failed job again.
        public static let resubmits: UInt32 = 6
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        encode { bytes += $0 }
        return bytes
    }

    /// The file's bytes, handed to `sink` in pieces of about a MiB: the dedup keys and the jobs
    /// are encoded as they are read (each section's length learnt by a first pass that only
    /// counts), so writing a checkpoint of millions of entries holds no copy of them in memory.
    public func encode(to sink: ([UInt8]) -> Void) {
        withoutActuallyEscaping(sink) { sink in
            var out = CheckpointStream(sink: sink)
            out.append(Self.magic)
            out.u32(Self.formatVersion)
            let streamed: [(UInt32, any CheckpointPayload)] = [
                (Tag.dedup, recorded), (Tag.index, index), (Tag.open, open), (Tag.resubmits, resubmits),
            ]
            let others = otherSections.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            out.u32(UInt32(1 + streamed.count + others.count))
            Self.write((Tag.position, Section(version: Tag.versions[Tag.position] ?? 0, payload: positionPayload())), to: &out)
            for (tag, payload) in streamed { Self.write(tag: tag, payload, to: &out) }
            for section in others { Self.write(section, to: &out) }
            out.finish()
        }
    }

    private static func write(_ section: (UInt32, Section), to out: inout CheckpointStream) {
        out.u32(section.0)
        out.u32(section.1.version)
        out.u64(UInt64(section.1.payload.count))
        out.append(section.1.payload)
    }

    /// A section written straight from the state: a first pass counts its length, the second
    /// writes its bytes.
    private static func write(tag: UInt32, _ payload: any CheckpointPayload, to out: inout CheckpointStream) {
        var counter = CheckpointCounter()
        payload.writePayload(into: &counter)
        out.u32(tag)
        out.u32(Tag.versions[tag] ?? 0)
        out.u64(UInt64(counter.count))
        payload.writePayload(into: &out)
    }

    /// Every section as written, in file order (tests rewrite one as another version wrote it).
    func sections() -> [(UInt32, Section)] {
        var reader = CheckpointReader(encoded()[...].dropFirst(Self.magic.count + 4))
        var sections: [(UInt32, Section)] = []
        guard let count = try? reader.u32() else { return [] }
        for _ in 0..<count {
            guard let tag = try? reader.u32(), let version = try? reader.u32(), let length = try? reader.u64(),
                let payload = try? reader.take(Int(length))
            else { break }
            sections.append((tag, Section(version: version, payload: Array(payload))))
        }
        return sections
    }

    /// The file's bytes for these sections: the header, the sections, the checksum.
    static func sealed(_ sections: [(UInt32, Section)]) -> [UInt8] {
        var bytes: [UInt8] = []
        withoutActuallyEscaping({ (piece: [UInt8]) in bytes += piece }) { sink in
            var out = CheckpointStream(sink: sink)
            out.append(Self.magic)
            out.u32(Self.formatVersion)
            out.u32(UInt32(sections.count))
            for section in sections { write(section, to: &out) }
            out.finish()
        }
        return bytes
    }

    /// Reads a checkpoint's bytes, checking its magic, checksum and versions.
    public init(decoding bytes: [UInt8]) throws(CheckpointError) {
        let digestSize = SHA256.byteCount
        guard bytes.count >= Self.magic.count + 8 + digestSize, bytes.starts(with: Self.magic) else {
            throw .corrupt("not a vodhook checkpoint")
        }
        let body = bytes[..<(bytes.count - digestSize)]
        // Hashed in place: a copy of the body would be one more checkpoint-sized allocation.
        guard SHA256.hash(data: body).elementsEqual(bytes[(bytes.count - digestSize)...]) else {
            throw .corrupt("checksum mismatch")
        }
        var reader = CheckpointReader(body.dropFirst(Self.magic.count))
        let format = try reader.u32()
        guard format == Self.formatVersion else { throw .unsupported("format version \(format)") }
        var position: (UInt64, Resume?)?
        var recorded: RecordedEvents?
        var index: CorrelationIndex?
        var open: OpenJobs?
        var resubmits: ResubmitBook?
        var others: [UInt32: Section] = [:]
        for _ in 0..<(try reader.u32()) {
            let tag = try reader.u32()
            let version = try reader.u32()
            let length = try reader.u64()
            guard length <= UInt64(Int.max) else { throw .corrupt("section length") }
            let payload = try reader.take(Int(length))
            switch tag {
            case Tag.position, Tag.dedup, Tag.index, Tag.open, Tag.resubmits:
                guard version == Tag.versions[tag] else { throw .unsupported("section \(tag) version \(version)") }
                var section = CheckpointReader(payload)
                if tag == Tag.position { position = try Self.position(&section) }
                if tag == Tag.dedup { recorded = try RecordedEvents(checkpoint: &section) }
                if tag == Tag.index { index = try CorrelationIndex(checkpoint: &section) }
                if tag == Tag.resubmits { resubmits = try ResubmitBook(checkpoint: &section) }
                if tag == Tag.open { open = try OpenJobs(checkpoint: &section) }
                guard section.isAtEnd else { throw .corrupt("section \(tag) has trailing bytes") }
            default:
                others[tag] = Section(version: version, payload: Array(payload))
            }
        }
        guard reader.isAtEnd else { throw .corrupt("trailing bytes") }
        guard let position, let recorded, let index else { throw .corrupt("a section is missing") }
        // Written before open jobs were kept: its start would list none of them.
        guard let open else { throw .unsupported("no open jobs section") }
        // Written before the resubmit book was kept: its start could submit a failed job twice.
        guard let resubmits else { throw .unsupported("no resubmits section") }
        self.init(
            lastSeq: position.0, resume: position.1, recorded: recorded, index: index, open: open, resubmits: resubmits,
            otherSections: others)
    }

    private func positionPayload() -> [UInt8] {
        var out = CheckpointWriter()
        out.u64(lastSeq)
        out.u8(resume == nil ? 0 : 1)
        out.u64(resume?.fileFirstSeq ?? 0)
        out.u64(UInt64(resume?.offset ?? 0))
        return out.bytes
    }

    private static func position(_ reader: inout CheckpointReader) throws(CheckpointError) -> (UInt64, Resume?) {
        let lastSeq = try reader.u64()
        let hasResume = try reader.u8() == 1
        let first = try reader.u64()
        let offset = try reader.u64()
        guard offset <= UInt64(Int64.max) else { throw .corrupt("resume offset") }
        return (lastSeq, hasResume ? Resume(fileFirstSeq: first, offset: Int64(offset)) : nil)
    }
}

/// Why a checkpoint was not used. Never fatal: start-up reads the files instead.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    case corrupt(String)
    /// Written by another version of vodhook.
    case unsupported(String)

    public var description: String {
        switch self {
        case .corrupt(let reason): "corrupt checkpoint (\(reason))"
        case .unsupported(let reason): "checkpoint of another version (\(reason))"
        }
    }
}

extension RecordedEvents: CheckpointPayload {
    func writePayload(into out: inout some CheckpointOutput) {
        out.u64(UInt64(first.count))
        first.forEachEntry { key, value in
            out.digest(key)
            out.u64(value.seq)
            out.u64(value.body)
            out.u64(UInt64(bitPattern: value.at))
        }
        out.u64(UInt64(others.count))
        for (identity, other) in others.sorted(by: { $0.value.seq < $1.value.seq }) {
            out.digest(identity.key)
            out.u8(identity.body == nil ? 0 : 1)
            out.digest(identity.body ?? DedupKey.Digest(high: 0, low: 0))
            out.u64(other.seq)
            out.u64(UInt64(bitPattern: other.at))
        }
        out.u64(UInt64(pinned.count))
        for (job, keys) in pinned.sorted(by: { ($0.key.high, $0.key.low) < ($1.key.high, $1.key.low) }) {
            out.id(job)
            out.u64(UInt64(keys.count))
            for key in keys { out.digest(key) }
        }
    }

    init(checkpoint reader: inout CheckpointReader) throws(CheckpointError) {
        self.init()
        for _ in 0..<(try reader.u64()) {
            let key = try reader.digest()
            first[key] = First(seq: try reader.u64(), body: try reader.u64(), at: Int64(bitPattern: try reader.u64()))
        }
        for _ in 0..<(try reader.u64()) {
            let key = try reader.digest()
            let hasBody = try reader.u8() == 1
            let body = try reader.digest()
            let seq = try reader.u64()
            others[EventIdentity(key: key, body: hasBody ? body : nil)] = Other(seq: seq, at: Int64(bitPattern: try reader.u64()))
        }
        for _ in 0..<(try reader.u64()) {
            let job = try reader.id()
            var keys: [DedupKey.Digest] = []
            for _ in 0..<(try reader.u64()) { keys.append(try reader.digest()) }
            pinned[job] = keys
        }
    }
}

extension CorrelationIndex: CheckpointPayload {
    func writePayload(into out: inout some CheckpointOutput) {
        out.u64(UInt64(jobs.count))
        jobs.forEachEntry { id, job in
            out.id(id)
            out.u64(job.submissionSeq ?? 0)
            out.u64(job.chainSeq ?? 0)
            out.u64(job.lastEventSeq ?? 0)
            out.id(job.media)
            out.string(job.state.rawValue)
            out.u64(UInt64(bitPattern: job.at))
        }
        out.u64(UInt64(unanswered.count))
        for (key, seq) in unanswered.sorted(by: { $0.value < $1.value }) {
            out.id(key.media)
            out.string(key.type)
            out.u64(seq)
        }
    }

    init(checkpoint reader: inout CheckpointReader) throws(CheckpointError) {
        self.init()
        func seq(_ value: UInt64) -> UInt64? { value == 0 ? nil : value }
        for _ in 0..<(try reader.u64()) {
            let id = try reader.id()
            let submission = try reader.u64()
            let chain = try reader.u64()
            let last = try reader.u64()
            let media = try reader.id()
            let stateText = try reader.string()
            guard let state = JobState(rawValue: stateText) else { throw .corrupt("job state \(stateText)") }
            let at = Int64(bitPattern: try reader.u64())
            jobs[id] = Job(
                submissionSeq: seq(submission), media: media, chainSeq: seq(chain), lastEventSeq: seq(last), state: state,
                at: at)
            if state == .pending { pendingCount += 1 }
        }
        for _ in 0..<(try reader.u64()) {
            let media = try reader.id()
            let type = try reader.string()
            unanswered[MediaType(media: media, type: type)] = try reader.u64()
        }
    }
}
