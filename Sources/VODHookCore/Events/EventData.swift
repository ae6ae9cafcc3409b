/// An event's `Data` member after decoding: typed for the known AI results, never dropped.
public enum EventData: Sendable, Equatable {
    /// `Data` missing, `null`, `""`, or a string that decodes to `null` (normal on `fail`).
    case absent
    /// An `AIVideoTagComplete` result.
    case tag(TagResult)
    /// An `AIMediaDNAComplete` result.
    case dna(DNAResult)
    /// An `AIMediaAuditComplete` result.
    case audit(AuditResult)
    /// JSON that is not one of the typed results: a non-AI or unknown AI event,
    /// or a known AI event whose `Data` did not match its documented shape.
    case other(JSONValue)
    /// A `Data` string that is not JSON (or nests too deep to parse): kept verbatim.
    case unparsable(raw: String)
}
