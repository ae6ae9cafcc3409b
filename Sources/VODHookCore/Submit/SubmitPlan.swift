/// What a `vodhook submit` run still has to do, given what the ledger already says: a rerun of
/// the same batch skips each media and type already submitted (accepted, or with an unknown
/// outcome: a job may exist), and tries again those VOD refused.
public struct SubmitPlan: Sendable {
    /// An item with only the types still to submit.
    public var work: [SubmitItem]
    /// (media, type) pairs skipped because the ledger has them.
    public var skipped: Int
    /// Of those, how many had an unknown outcome (may or may not exist at VOD).
    public var skippedUnknown: Int

    /// - Parameter force: submit everything again, whatever the ledger says.
    public init(items: [SubmitItem], book: JobBook, force: Bool) {
        guard !force else {
            work = items
            skipped = 0
            skippedUnknown = 0
            return
        }
        var done: [MediaType: JobState] = [:]
        for row in book.rows {
            guard let media = row.mediaId, let type = row.aiType, row.submissionSeq != nil, row.state != .refused else {
                continue
            }
            let key = MediaType(media: media, type: type)
            // An unknown outcome later followed by an accepted one counts as submitted, not unknown.
            if done[key] == nil || done[key] == .unknown { done[key] = row.state }
        }
        var work: [SubmitItem] = []
        var skipped = 0
        var skippedUnknown = 0
        for item in items {
            var remaining = item
            remaining.types = item.types.filter { type in
                guard let state = done[MediaType(media: item.mediaId, type: type)] else { return true }
                skipped += 1
                if state == .unknown { skippedUnknown += 1 }
                return false
            }
            if !remaining.types.isEmpty { work.append(remaining) }
        }
        self.work = work
        self.skipped = skipped
        self.skippedUnknown = skippedUnknown
    }

    private struct MediaType: Hashable {
        let media: String
        let type: String
    }
}
