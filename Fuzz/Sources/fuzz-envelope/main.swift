import Foundation
import FuzzSupport

@testable import VODHookCore

// EnvelopeScanner, through EventParser.envelope(of:), the request path's reader of a callback.
//
// Properties, besides never crashing or reading out of bounds:
// - its answer (the rejection, or the envelope field for field) is the one Foundation's
//   JSONDecoder gives when it reads the same members (EnvelopeOracle.swift, the oracle the
//   scanner replaced: a link to the file EnvelopeScannerTests uses);
// - whatever it accepts, EventParser.parse accepts too, with the same envelope (a recorded body
//   must always parse later).

exit(runFuzzer(fuzzEnvelope))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let scanned = Result { () throws(EventRejection) in try EventParser.envelope(of: input) }
    let expected = EnvelopeOracle.envelope(of: input)
    check(scanned == expected, "scanner \(scanned) but JSONDecoder \(expected): \(show(input))")
    if case .success(let envelope) = scanned {
        let parsed = Result { () throws(EventRejection) in try EventParser.parse(input) }
        check((try? parsed.get())?.envelope == envelope, "envelope(of:) accepted, parse gave \(parsed): \(show(input))")
    }
    return 0
}
