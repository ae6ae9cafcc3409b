#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads VOD callback bodies: pure functions of the bytes, safe from any thread.
public enum EventParser {
    /// The deepest `{`/`[` nesting accepted in a body, and in a JSON-encoded `Data` string.
    public static let maxDepth = 64

    /// What the request path needs of a callback body, without a Foundation parse.
    ///
    /// Validates, in this order, and throws the first problem: valid UTF-8; nesting depth
    /// <= `maxDepth` (a byte scan, so a deeply nested body can never overflow a stack); valid
    /// JSON (strict RFC 8259, checked by a byte scan too, plus I-JSON's limits: no unpaired
    /// surrogate escapes, numbers that fit a `Double`); a top-level object; an `EventType` that
    /// is a non-empty string. Unknown event types and members are accepted. The members are then
    /// read by `EnvelopeScanner`, which agrees with Foundation's `JSONDecoder` (and `parse`) on
    /// every body: the tests hold the decoder as the oracle.
    public static func envelope(of body: [UInt8]) throws(EventRejection) -> EventEnvelope {
        try checkBytes(body)
        return try EnvelopeScanner.probe(body).envelope()
    }

    /// The full typed event (for handlers and queries, not the request path).
    ///
    /// Rejects exactly what `envelope(of:)` rejects, with the same reason, so every body the
    /// request path accepted can be parsed later. `Data` is decoded once more when it is a string;
    /// a string that is not JSON by the same rules becomes `.unparsable`, never an error.
    public static func parse(_ body: [UInt8]) throws(EventRejection) -> VODEvent {
        try checkBytes(body)
        let decoded: EventBody
        do {
            decoded = try JSONDecoder().decode(EventBody.self, from: Data(body))
        } catch {
            // JSONSyntax has already refused what Foundation would.
            throw .notJSON
        }
        guard let fields = decoded.fields else { throw .notAnObject }
        let envelope = try EventEnvelope.checked(
            eventType: fields["EventType"]?.stringValue, jobId: fields["JobId"]?.stringValue,
            mediaId: fields["MediaId"]?.stringValue, videoId: fields["VideoId"]?.stringValue,
            status: fields["Status"]?.stringValue, eventTime: fields["EventTime"]?.stringValue)
        return VODEvent(
            eventType: envelope.eventType, jobId: envelope.jobId, mediaId: envelope.mediaId,
            status: envelope.status, code: fields["Code"]?.stringValue,
            message: fields["Message"]?.stringValue, completeTime: fields["CompleteTime"]?.stringValue,
            extend: fields["Extend"]?.stringValue, eventTime: envelope.eventTime.map(EventTime.init(raw:)),
            data: eventData(decoded.data, family: envelope.family), fields: fields)
    }

    /// The checks that must run before Foundation (or `EnvelopeScanner`) sees the bytes.
    private static func checkBytes(_ body: [UInt8]) throws(EventRejection) {
        guard isValidUTF8(body) else { throw .notUTF8 }
        // Foundation's decoder is lenient and lazy (see JSONSyntax), so syntax is settled here.
        // JSONSyntax stops at `maxDepth` itself and accepts nothing deeper, so the separate depth
        // scan is needed only to tell a body nested too deep from one that is not JSON: the same
        // answers as scanning depth first, one pass fewer for every body that is accepted.
        guard JSONSyntax.isValid(body, maxDepth: maxDepth) else {
            throw JSONDepth.fits(body, within: maxDepth) ? .notJSON : .tooDeep
        }
    }

    /// Strict UTF-8: no overlong forms, surrogates or values past U+10FFFF.
    private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        // The stdlib's validator is vectorised; measured about 7x faster on a 60 KB body than
        // decoding scalar by scalar, which outweighs the one string it allocates.
        String(validating: bytes, as: UTF8.self) != nil
    }

    /// `Data` per docs/vod.md §2.4: absent, null or "" is no result; an object (or any non-string)
    /// is used as is; a string is decoded once more, and kept raw if that fails.
    private static func eventData(_ document: DataDocument?, family: EventFamily) -> EventData {
        guard let document else { return .absent }
        guard case .string(let text) = document.value else { return document.eventData }
        if text.isEmpty { return .absent }
        let bytes = Array(text.utf8)
        // The inner document gets the same depth bound as a body: it is just as untrusted.
        guard JSONDepth.fits(bytes, within: maxDepth), JSONSyntax.isValid(bytes, maxDepth: maxDepth),
            let inner = try? JSONDecoder().decode(DataDocument.self, from: Data(bytes), configuration: family)
        else { return .unparsable(raw: text) }
        // One level only: a string inside the string stays a string (`.other`).
        return inner.eventData
    }
}
