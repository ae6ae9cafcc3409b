import Crypto

/// The identity of one VOD event across VOD's retries: `(EventType, JobId, Status)`, or a digest
/// of the body for events that carry no JobId (REFERENCE.md §1.3).
///
/// The text form is written into each ledger line (`dedup`), so the set of seen events is rebuilt
/// from the ledger without re-deriving anything; in memory only a 16-byte digest is kept.
public struct DedupKey: Hashable, Sendable, CustomStringConvertible {
    /// The text stored in the ledger's `dedup` field.
    public let text: String

    /// Wraps a key read back from a ledger line.
    public init(text: String) { self.text = text }

    /// The key for a callback: `EventType|JobId|Status` when it has a JobId, else `sha256:<hex>`
    /// of the body as received. `|` and `%` inside a component are percent-escaped so no two
    /// different triples share a key.
    public init(envelope: EventEnvelope, body: some Sequence<UInt8>) {
        if let jobId = envelope.jobId {
            text = [envelope.eventType, jobId, envelope.status ?? ""].map(Self.escape).joined(separator: "|")
        } else {
            text = "sha256:" + Hex.encode(SHA256.hash(data: Array(body)))
        }
    }

    public var description: String { text }

    /// A compact fixed-size stand-in for the key, for large in-memory sets.
    public var digest: Digest {
        let hash = Array(SHA256.hash(data: Array(text.utf8)))
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 { high = high << 8 | UInt64(hash[index]) }
        for index in 8..<16 { low = low << 8 | UInt64(hash[index]) }
        return Digest(high: high, low: low)
    }

    /// 128 bits of SHA-256 of the key text: collisions are not a practical concern.
    public struct Digest: Hashable, Sendable {
        public let high: UInt64
        public let low: UInt64
    }

    private static func escape(_ component: String) -> String {
        guard component.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "%") }) else {
            return component
        }
        var out = ""
        for character in component {
            switch character {
            case "%": out += "%25"
            case "|": out += "%7C"
            default: out.append(character)
            }
        }
        return out
    }
}
