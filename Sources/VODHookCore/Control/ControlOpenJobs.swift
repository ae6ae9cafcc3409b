/// `GET /v1/jobs/open` on a running server's control socket: the jobs still `pending` or
/// `unknown`, from the writer's memory (``OpenJobs``), so `vodhook jobs --status pending|unknown`
/// and `vodhook reconcile` read no ledger file while serve runs.
///
/// Binary, not JSON (the socket is vodhook's own, and a server may hold 500 k open jobs): a
/// magic, a version, the last seq, the row count, then each row as checkpoint section 5 writes
/// it (docs/ledger.md, "Checkpoints").
public struct ControlOpenJobsResponse: Sendable, Equatable {
    /// The URI path of the route.
    public static let path = "/v1/jobs/open"
    public static let contentType = "application/vnd.vodhook.open-jobs"
    static let magic = Array("VODHOOK-OPEN-JOBS\n".utf8)
    static let version: UInt32 = 1

    /// In ledger order, as ``JobBook/rows(state:mediaId:since:)`` lists them.
    public var rows: [JobBook.Row]
    /// The last seq the rows account for.
    public var lastSeq: UInt64

    public init(rows: [JobBook.Row], lastSeq: UInt64) {
        self.rows = rows
        self.lastSeq = lastSeq
    }

    /// The rows in `state` (`pending` or `unknown`) matching the other filters, as the scan's
    /// ``JobBook/rows(state:mediaId:since:)`` would list them.
    public func rows(state: JobState, mediaId: String? = nil, since: Int64? = nil) -> [JobBook.Row] {
        rows.filter { $0.matches(state: state, mediaId: mediaId, since: since) }
    }

    /// The response body.
    public func encoded() -> [UInt8] {
        var out = CheckpointWriter()
        out.reserve(Self.magic.count + 20 + rows.count * 160)
        out.append(Self.magic)
        out.u32(Self.version)
        out.u64(lastSeq)
        out.u64(UInt64(rows.count))
        for row in rows { row.write(to: &out) }
        return out.bytes
    }

    /// Reads a response body; throws on any other (an older server's JSON, a cut-off body).
    public init(decoding bytes: [UInt8]) throws(ControlOpenJobsError) {
        guard bytes.starts(with: Self.magic) else { throw ControlOpenJobsError("not an open jobs answer") }
        do {
            var reader = CheckpointReader(bytes[Self.magic.count...])
            let version = try reader.u32()
            guard version == Self.version else { throw ControlOpenJobsError("open jobs answer of version \(version)") }
            lastSeq = try reader.u64()
            let count = try reader.count(minimumBytes: 40)
            rows = []
            rows.reserveCapacity(count)
            for _ in 0..<count { rows.append(try JobBook.Row(checkpoint: &reader)) }
            guard reader.isAtEnd else { throw ControlOpenJobsError("open jobs answer has trailing bytes") }
        } catch let error as ControlOpenJobsError {
            throw error
        } catch {
            throw ControlOpenJobsError("open jobs answer cut short (\(error))")
        }
    }
}

/// A control socket answer to `GET /v1/jobs/open` that does not decode.
public struct ControlOpenJobsError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
