import Foundation
import Testing

@testable import VODHookCore

@Suite struct JSONTextTests {
    @Test(
        "appendString writes a JSON string that reads back as the same text",
        arguments: [
            "", "plain", "\"", "\\", "a\"b\\c", "\u{0}\u{1}\u{1F}\n\r\t\u{8}\u{C}", "é😀\u{7F}\u{2028}", "end\\",
            String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) }),
        ])
    func roundTrip(text: String) throws {
        var out: [UInt8] = [UInt8(ascii: "[")]
        JSONText.appendString(text, to: &out)
        out.append(UInt8(ascii: "]"))
        #expect(JSONSyntax.isValid(out, maxDepth: 2))
        #expect(try JSONDecoder().decode([String].self, from: Data(out)) == [text])
    }

    @Test("control characters without a short form are written as \\u00XX")
    func controlEscapes() {
        var out: [UInt8] = []
        JSONText.appendString("a\u{1}\u{1F}\n", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""a\u0001\u001f\n""#)
    }
}
