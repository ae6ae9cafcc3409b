/// Where a job stands, as the ledger tells it.
public enum JobState: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Submitted; no final event yet.
    case pending
    /// Its event said `success`.
    case success
    /// Its event said `fail`.
    case fail
    /// VOD refused the submission: no job exists.
    case refused
    /// The submission's answer never came: a job may exist (its callback will tell), or not.
    case unknown
    /// Its event said `fail` and a `resubmit` handler stopped its chain there: the chain had
    /// `max_attempts` jobs (a `given_up` line).
    case givenUp = "given_up"

    /// The state an event's `Status` puts a job in: VOD's AI statuses are `success` and `fail`;
    /// anything else (VOD may add statuses) leaves it pending.
    public init(eventStatus: String?) {
        switch eventStatus {
        case "success": self = .success
        case "fail": self = .fail
        default: self = .pending
        }
    }

    /// A final state: nothing more will come from VOD.
    public var isFinal: Bool { self == .success || self == .fail || self == .refused || self == .givenUp }

    public var description: String { rawValue }
}
