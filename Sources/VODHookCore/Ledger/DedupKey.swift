import Crypto

/// The identity of one VOD event across VOD's retries: `(EventType, JobId, Status)`, or a digest
/// of the body for events that carry no JobId (docs/vod.md §1.3).
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
            var key = Self.escape(envelope.eventType)
            key += "|"
            key += Self.escape(jobId)
            key += "|"
            key += Self.escape(envelope.status ?? "")
            text = key
        } else {
            text = "sha256:" + Hex.encode(SHA256.hash(data: Array(body)))
        }
    }

    public var description: String { text }

    /// A compact fixed-size stand-in for the key, for large in-memory sets.
    public var digest: Digest {
        // Hashed in place: no copies of the text or the hash (the request path runs this once).
        var text = text
        return text.withUTF8 { Digest(of: UnsafeRawBufferPointer($0)) }
    }

    /// 128 bits of SHA-256 of the key text: collisions are not a practical concern.
    public struct Digest: Hashable, Sendable {
        public let high: UInt64
        public let low: UInt64

        /// The digest read back from a checkpoint.
        init(high: UInt64, low: UInt64) {
            self.high = high
            self.low = low
        }

        /// The digest of any bytes: of a key's text, or of an event's body (``EventIdentity``).
        public init(of bytes: UnsafeRawBufferPointer) {
            let hash = SHA256.hash(data: bytes)
            (high, low) = hash.withUnsafeBytes { bytes in
                (
                    UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                    UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                )
            }
        }

        /// The digest of a slice of bytes (a line's event body, read back at start-up).
        public init(of bytes: ArraySlice<UInt8>) {
            self = bytes.withUnsafeBytes { Digest(of: $0) }
        }
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
