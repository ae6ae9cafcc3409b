/// The `kind` field of a ledger line. Readers must skip kinds they do not know: later versions
/// add handler outcomes and other kinds without changing the existing ones.
public enum LedgerKind: Sendable, Hashable, CustomStringConvertible {
    /// A VOD event accepted from a callback (or learnt by polling).
    case event
    /// A job vodhook submitted to VOD.
    case submitted
    /// A handler's run on an event.
    case handled
    /// A handler gave an event up.
    case dead
    /// A `resubmit` handler stopped a chain at its limit.
    case givenUp
    /// A kind this version does not know; kept verbatim.
    case other(String)

    public init(_ text: String) {
        switch text {
        case "event": self = .event
        case "submitted": self = .submitted
        case "handled": self = .handled
        case "dead": self = .dead
        case "given_up": self = .givenUp
        default: self = .other(text)
        }
    }

    public var description: String {
        switch self {
        case .event: "event"
        case .submitted: "submitted"
        case .handled: "handled"
        case .dead: "dead"
        case .givenUp: "given_up"
        case .other(let text): text
        }
    }
}
