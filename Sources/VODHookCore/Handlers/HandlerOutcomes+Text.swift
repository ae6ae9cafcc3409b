extension HandlerOutcomes.Outcome {
    /// One line for `vodhook job`, under the event: where the handler stands with it.
    public var summary: String {
        let runs = "\(self.runs) run" + (self.runs == 1 ? "" : "s")
        let reason = lastReason.map { ": \($0)" } ?? ""
        var text =
            switch state {
            case .ok: "ok (\(runs))"
            case .failed: "failed, to be retried (\(runs))\(reason)"
            case .dead: "DEAD after \(death?.attempts ?? self.runs) attempt(s)" + (death?.reason.map { ": \($0)" } ?? "")
            case .replayed: "replayed, waiting to run (\(runs) before)"
            }
        if replays > 0, state != .replayed { text += "; replayed \(replays)x" }
        return text + "  (last \(EventTime.rfc3339(milliseconds: lastAt)))"
    }

    /// The `vodhook dead --json` object of a dead letter (one line), with its event's fields when
    /// the event line was found.
    public func deadLetterJSON(event: DeadLetters.Event?) -> String {
        var line = LineBuilder(capacity: 400)
        line.field("handler", handler)
        line.field("event_seq", integer: eventSeq)
        line.field("event_type", event?.eventType)
        line.field("job_id", event?.jobId)
        line.field("media_id", event?.mediaId)
        line.field("status", event?.status)
        line.field("attempts", integer: death?.attempts ?? runs)
        line.field("reason", death?.reason)
        line.field("at", EventTime.rfc3339(milliseconds: death?.at ?? lastAt))
        line.field("replays", integer: replays)
        return String(decoding: line.finishObject(), as: UTF8.self)
    }
}
