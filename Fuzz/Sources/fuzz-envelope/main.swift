import Foundation
import FuzzSupport
@testable import VODHookCore

// EnvelopeScanner, through EventParser.envelope(of:), the request path's reader of a callback.
//
// Properties, besides never crashing or reading out of bounds:
// - its answer (the rejection, or the envelope field for field) is the one Foundation's
//   JSONDecoder gives when it reads the same members (the oracle the scanner replaced, as in
//   EnvelopeScannerTests);
// - whatever it accepts, EventParser.parse accepts too, with the same envelope (a recorded body
//   must always parse later).

exit(runFuzzer(fuzzEnvelope))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let scanned = Result { () throws(EventRejection) in try EventParser.envelope(of: input) }
    let expected = oracle(input)
    check(scanned == expected, "scanner \(scanned) but JSONDecoder \(expected): \(show(input))")
    if case .success(let envelope) = scanned {
        let parsed = Result { () throws(EventRejection) in try EventParser.parse(input) }
        check((try? parsed.get())?.envelope == envelope, "envelope(of:) accepted, parse gave \(parsed): \(show(input))")
    }
    return 0
}

/// The request path as it was before the scanner: UTF-8, depth, syntax, then a Decodable probe.
func oracle(_ body: [UInt8]) -> Result<EventEnvelope, EventRejection> {
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
