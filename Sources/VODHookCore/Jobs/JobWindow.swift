/// What `vodhook jobs --since` keeps of the lines before its window, so that it holds the rows
/// of the window only, not of all history.
///
/// Files whose every line is older than ``margin`` before `since` are not read; `firstSeq` is the
/// first seq of what is read. A line that links to a line before `firstSeq`
/// (`intent_seq`, `submission_seq`), or that would start a submitted job's row before `since`,
/// rules its job out, and the job's later lines with it: such a job's row is never listed, as
/// in a whole book. What is not exact: an unsolicited job (events only) whose events started
/// more than the margin before the window counts only the events read, and an uncorrelated
/// event of a job submitted more than the margin before the window lists that job as unsolicited.
public struct JobWindow: Sendable {
    /// One day: VOD's callbacks and `reconcile`'s polls come within it of the submission.
    public static let margin: Int64 = 86_400_000

    public let since: Int64
    /// The first seq read; 0 when every file is read.
    public let firstSeq: UInt64
    var excludedJobs: Set<String> = []
    var excludedSeqs: Set<UInt64> = []

    public init(since: Int64, firstSeq: UInt64) {
        self.since = since
        self.firstSeq = firstSeq
    }
}
