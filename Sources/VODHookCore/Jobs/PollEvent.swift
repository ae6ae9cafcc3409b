import Foundation

/// What `reconcile` records when ListAIJob says a pending job has finished: the event VOD's
/// callback would have carried, built from the job's state, so the line has the same schema as
/// a callback's (`source` says `poll`) and dedups against a late callback of the same job.
public enum PollEvent {
    /// The event body for a finished job (`success` or `fail` with a type); nil for any other.
    ///
    /// - Parameter now: Unix milliseconds, the `EventTime` when VOD gave no `CompleteTime`.
    public static func body(for job: ListAIJobResponse.Job, now: Int64) -> [UInt8]? {
        guard job.isFinished, let type = job.type, !type.isEmpty, let status = job.status else { return nil }
        var object: [String: JSONValue] = [
            "EventTime": .string(job.completeTime ?? String(EventTime.rfc3339(milliseconds: now).prefix(19)) + "Z"),
            "EventType": .string(type + "Complete"),
            "JobId": .string(job.jobId),
            "Status": .string(status),
        ]
        if let media = job.mediaId { object["MediaId"] = .string(media) }
        if let code = job.code { object["Code"] = .string(code) }
        if let message = job.message { object["Message"] = .string(message) }
        if let data = job.data, !data.isNull { object["Data"] = data }
        if let time = job.completeTime { object["CompleteTime"] = .string(time) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(JSONValue.object(object))).map(Array.init)
    }

    /// The jobs worth asking about: submitted by vodhook, accepted, still pending, and submitted
    /// at least `olderThan` milliseconds before `now` (younger ones are probably still running).
    public static func candidates(in book: JobBook, olderThan: Int64, now: Int64) -> [String] {
        candidates(in: book.rows, olderThan: olderThan, now: now)
    }

    /// The same among `rows` (the open rows a running server holds, or a whole book's).
    public static func candidates(in rows: [JobBook.Row], olderThan: Int64, now: Int64) -> [String] {
        rows.compactMap { row in
            guard row.state == .pending, let jobId = row.jobId, let submitted = row.submittedAt, submitted <= now - olderThan
            else { return nil }
            return jobId
        }
    }
}
