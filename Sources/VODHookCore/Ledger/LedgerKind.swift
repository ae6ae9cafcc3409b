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
    /// `vodhook replay` asked for a handler to run on an event again.
    case replay
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
        case "replay": self = .replay
        case "given_up": self = .givenUp
        default: self = .other(text)
        }
    }

    /// `handled`, `dead` and `replay`: lines about a handler and an event, linked to it by `event_seq` only.
    public var isHandlerLine: Bool {
        switch self {
        case .handled, .dead, .replay: true
        case .event, .submitted, .givenUp, .other: false
        }
    }

    public var description: String {
        switch self {
        case .event: "event"
        case .submitted: "submitted"
        case .handled: "handled"
        case .dead: "dead"
        case .replay: "replay"
        case .givenUp: "given_up"
        case .other(let text): text
        }
    }
}
