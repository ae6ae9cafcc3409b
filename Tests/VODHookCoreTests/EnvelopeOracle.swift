import Foundation

@testable import VODHookCore

/// The request path as it was before `EnvelopeScanner`: UTF-8, then depth, then syntax, then a
/// `Decodable` probe read by Foundation's `JSONDecoder`. The oracle the scanner is held to, by
/// EnvelopeScannerTests and by the fuzz-envelope target (Fuzz/, which links this file).
enum EnvelopeOracle {
    static func envelope(of body: [UInt8]) -> Result<EventEnvelope, EventRejection> {
        Result { () throws(EventRejection) in
            guard String(validating: body, as: UTF8.self) != nil else { throw .notUTF8 }
            guard JSONDepth.fits(body, within: EventParser.maxDepth) else { throw .tooDeep }
            guard JSONSyntax.isValid(body, maxDepth: EventParser.maxDepth) else { throw .notJSON }
            let probe: FoundationProbe
            do {
                probe = try JSONDecoder().decode(FoundationProbe.self, from: Data(body))
            } catch {
                throw .notJSON
            }
            return try probe.probe.envelope()
        }
    }

    /// The probe the request path decoded with Foundation before the scanner.
    struct FoundationProbe: Decodable {
        let probe: EnvelopeProbe

        init(from decoder: any Decoder) throws {
            guard let object = try? decoder.container(keyedBy: JSONKey.self) else {
                probe = .notAnObject
                return
            }
            func string(_ key: JSONKey) -> String? { try? object.decode(String.self, forKey: key) }
            probe = EnvelopeProbe(
                isObject: true, eventType: string(.eventType), jobId: string(.jobId), mediaId: string(.mediaId),
                videoId: string(.videoId), status: string(.status), eventTime: string(.eventTime))
        }
    }
}
