#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One JSON document that is (or encodes) an event's `Data`: its value, plus the typed result
/// when the family has one and the value has that shape. Decoding both from the same decoder
/// avoids re-serialising the value to feed a second decoder.
struct DataDocument: DecodableWithConfiguration {
    let value: JSONValue
    /// nil when the family has no typed result or the value does not match it.
    let typed: EventData?

    init(from decoder: any Decoder, configuration family: EventFamily) throws {
        value = try JSONValue(from: decoder)
        // Typed results are all objects; trying anything else would only fail more slowly.
        guard case .object = value else {
            typed = nil
            return
        }
        typed =
            switch family {
            case .aiVideoTag: (try? TagResult(from: decoder)).map(EventData.tag)
            case .aiMediaDNA: (try? DNAResult(from: decoder)).map(EventData.dna)
            case .aiMediaAudit: (try? AuditResult(from: decoder)).map(EventData.audit)
            case .otherAI, .media: nil
            }
    }

    /// This document as `EventData`, not looking inside strings (the caller decides that).
    var eventData: EventData {
        value == .null ? .absent : typed ?? .other(value)
    }
}
