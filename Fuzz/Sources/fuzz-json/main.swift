import Foundation
import FuzzSupport

@testable import VODHookCore

// The request path's byte checks: strict UTF-8, then JSONSyntax (RFC 8259 plus I-JSON's limits).
//
// Properties, besides never crashing or reading out of bounds:
// - whatever JSONSyntax accepts, Foundation's JSONDecoder decodes (EventParser.parse relies on
//   it: every body the request path recorded must parse later) and JSONSerialization accepts;
// - what JSONSyntax refuses, JSONSerialization refuses too, except where JSONSyntax is stricter
//   on purpose (see `stricterOnPurpose`);
// - the depth bound only ever changes the verdict for bodies nested deeper than it, and
//   JSONDepth (which names that rejection) agrees.

exit(runFuzzer(fuzzJSON))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    guard String(validating: input, as: UTF8.self) != nil else { return 0 }
    let accepted = JSONSyntax.isValid(input, maxDepth: EventParser.maxDepth)
    let fits = JSONDepth.fits(input, within: EventParser.maxDepth)
    if accepted {
        check(fits, "JSONSyntax accepted a body JSONDepth finds too deep: \(show(input))")
        check(
            (try? JSONDecoder().decode(JSONValue.self, from: Data(input))) != nil,
            "JSONSyntax accepted what JSONDecoder cannot decode: \(show(input))")
    }
    guard fits else {
        check(!accepted, "accepted too deep: \(show(input))")
        return 0
    }
    check(
        JSONSyntax.isValid(input, maxDepth: 4096) == accepted,
        "the depth bound changed the verdict on a body within it: \(show(input))")
    let foundation = (try? JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])) != nil
    if accepted {
        check(foundation, "JSONSyntax accepted what JSONSerialization refuses: \(show(input))")
    } else if foundation {
        check(stricterOnPurpose(input), "JSONSerialization accepted what JSONSyntax refuses: \(show(input))")
    }
    return 0
}

/// Bodies JSONSerialization takes and JSONSyntax refuses by design (docs in README "Fuzzing"):
/// - a trailing comma in an object or array: Foundation's scanner is lenient there (the reason
///   JSONSyntax exists);
/// - a UTF-8 byte order mark, or a NUL byte anywhere (JSONSerialization then guesses UTF-16 or
///   UTF-32 and reads other characters than the bytes say); VOD sends UTF-8 without a BOM;
/// - an unpaired surrogate escape (`\uD800` alone): I-JSON forbids it, and JSONDecoder fails on
///   it when the value is decoded, so the body could not be parsed later;
/// - a number outside Double's range, or a non-zero literal that rounds to zero.
func stricterOnPurpose(_ input: [UInt8]) -> Bool {
    if input.starts(with: [0xEF, 0xBB, 0xBF]) || input.contains(0) { return true }
    if hasSurrogateEscape(input) || hasTrailingComma(input) { return true }
    return hasNumberOutsideDouble(input)
}

/// Any `\uD800`–`\uDFFF` escape (the pairing is JSONSyntax's business, not this check's).
func hasSurrogateEscape(_ input: [UInt8]) -> Bool {
    var index = 0
    while index + 2 < input.count {
        if input[index] == UInt8(ascii: "\\") {
            if input[index + 1] == UInt8(ascii: "u"), index + 3 < input.count,
                input[index + 2] | 0x20 == UInt8(ascii: "d"),
                (UInt8(ascii: "8")...UInt8(ascii: "9")).contains(input[index + 3])
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(input[index + 3] | 0x20)
            {
                return true
            }
            index += 2
        } else {
            index += 1
        }
    }
    return false
}

/// A number token (outside strings) that Double reads as infinite, or as zero with a non-zero digit.
func hasNumberOutsideDouble(_ input: [UInt8]) -> Bool {
    var index = 0
    var inString = false
    while index < input.count {
        let byte = input[index]
        if inString {
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") { inString = false }
            index += 1
            continue
        }
        if byte == UInt8(ascii: "\"") {
            inString = true
            index += 1
            continue
        }
        if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            let start = index
            while index < input.count, Array("+-.eE0123456789".utf8).contains(input[index]) { index += 1 }
            let token = String(decoding: input[start..<index], as: UTF8.self)
            if let value = Double(token) {
                if !value.isFinite { return true }
                let mantissa = token.prefix { $0 != "e" && $0 != "E" }
                if value == 0, mantissa.contains(where: { ("1"..."9").contains($0) }) { return true }
            }
            continue
        }
        index += 1
    }
    return false
}

/// A `,` followed (after whitespace) by `}` or `]`, outside strings.
func hasTrailingComma(_ input: [UInt8]) -> Bool {
    var index = 0
    var inString = false
    var afterComma = false
    while index < input.count {
        let byte = input[index]
        index += 1
        if inString {
            if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
        case UInt8(ascii: "}"), UInt8(ascii: "]"): if afterComma { return true }
        case UInt8(ascii: "\""): inString = true
        default: break
        }
        afterComma = byte == UInt8(ascii: ",")
    }
    return false
}
