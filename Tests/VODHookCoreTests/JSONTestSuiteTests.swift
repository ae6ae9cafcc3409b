import Foundation
import Testing

@testable import VODHookCore

/// JSONTestSuite (Fixtures/JSONTestSuite, see its README) as an oracle for the request path's
/// byte checks that is not the checks themselves: every `y_` case must pass the UTF-8 check and
/// `JSONSyntax`, every `n_` case must be refused by one of them, and each `i_` case (where RFC 8259
/// leaves the choice to the parser) must get the verdict listed in `implementationChoices`.
@Suite struct JSONTestSuiteTests {
    /// Every `i_` case and whether vodhook accepts it, with why. A change to any of these is a
    /// change of what the receiver records, so it must be made here on purpose.
    static let implementationChoices: [String: Bool] = [
        // Numbers must fit a Double (I-JSON, and what Foundation enforces when it decodes): an
        // exponent that overflows, or a non-zero literal that rounds to zero, is refused...
        "i_number_double_huge_neg_exp": false,
        "i_number_huge_exp": false,
        "i_number_neg_int_huge_exp": false,
        "i_number_pos_double_huge_exp": false,
        "i_number_real_neg_overflow": false,
        "i_number_real_pos_overflow": false,
        "i_number_real_underflow": false,
        // ...while an integer too long for Int64 is a finite Double (rounded), so it is accepted.
        "i_number_too_big_neg_int": true,
        "i_number_too_big_pos_int": true,
        "i_number_very_big_negative_int": true,
        // Unpaired surrogate escapes are refused (I-JSON; Foundation fails on them when decoding).
        "i_object_key_lone_2nd_surrogate": false,
        "i_string_1st_surrogate_but_2nd_missing": false,
        "i_string_1st_valid_surrogate_2nd_invalid": false,
        "i_string_incomplete_surrogate_and_escape_valid": false,
        "i_string_incomplete_surrogate_pair": false,
        "i_string_incomplete_surrogates_escape_valid": false,
        "i_string_invalid_lonely_surrogate": false,
        "i_string_invalid_surrogate": false,
        "i_string_inverted_surrogates_U+1D11E": false,
        "i_string_lone_second_surrogate": false,
        // Bodies must be strict UTF-8: no other encoding, no surrogates, overlong forms or
        // values past U+10FFFF, no truncated sequences.
        "i_string_UTF-16LE_with_BOM": false,
        "i_string_UTF-8_invalid_sequence": false,
        "i_string_UTF8_surrogate_U+D800": false,
        "i_string_invalid_utf-8": false,
        "i_string_iso_latin_1": false,
        "i_string_lone_utf8_continuation_byte": false,
        "i_string_not_in_unicode_range": false,
        "i_string_overlong_sequence_2_bytes": false,
        "i_string_overlong_sequence_6_bytes": false,
        "i_string_overlong_sequence_6_bytes_null": false,
        "i_string_truncated-utf-8": false,
        // Valid UTF-8 (NUL is a character) but not JSON once read as UTF-8.
        "i_string_utf16BE_no_BOM": false,
        "i_string_utf16LE_no_BOM": false,
        // Deeper than EventParser.maxDepth (64).
        "i_structure_500_nested_arrays": false,
        // RFC 8259 §8.1: a parser MAY ignore a byte order mark; VOD sends none, so none is taken.
        "i_structure_UTF-8_BOM_empty_object": false,
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        var testDescription: String { name }
    }

    static func cases() throws -> [Case] {
        guard
            let directory = Bundle.module.url(
                forResource: "test_parsing", withExtension: nil, subdirectory: "Fixtures/JSONTestSuite")
        else { throw EventFixtures.Missing(name: "Fixtures/JSONTestSuite/test_parsing") }
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
            .map { file in
                Case(
                    name: String(file.dropLast(".json".count)),
                    bytes: Array(try Data(contentsOf: directory.appendingPathComponent(file))))
            }
    }

    /// The request path's verdict on the bytes alone: the UTF-8 check, then `JSONSyntax`.
    static func accepts(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil && JSONSyntax.isValid(bytes, maxDepth: EventParser.maxDepth)
    }

    @Test("the suite is all there: 95 y_, 193 n_, 35 i_, and a listed choice for every i_")
    func complete() throws {
        let names = try Self.cases().map(\.name)
        #expect(names.count { $0.hasPrefix("y_") } == 95)
        #expect(names.count { $0.hasPrefix("n_") } == 193)
        #expect(Set(names.filter { $0.hasPrefix("i_") }) == Set(Self.implementationChoices.keys))
    }

    @Test("each case gets its verdict, from JSONSyntax and from the request path", arguments: try cases())
    func verdict(_ suiteCase: Case) throws {
        let expected: Bool =
            switch suiteCase.name.prefix(2) {
            case "y_": true
            case "n_": false
            default: try #require(Self.implementationChoices[suiteCase.name])
            }
        #expect(Self.accepts(suiteCase.bytes) == expected)
        if expected {
            // What the request path accepts, EventParser.parse must read later (y_number_0e1 did
            // not, before JSONValue worked around Foundation's Double decode).
            #expect((try? JSONDecoder().decode(JSONValue.self, from: Data(suiteCase.bytes))) != nil)
        }
        // EventParser.envelope(of:) may still refuse an accepted document (not an object, no
        // EventType), but never for its bytes; and it must refuse every refused one for them.
        let byteRejections: Set<EventRejection> = [.notUTF8, .notJSON, .tooDeep]
        var refusedForBytes = false
        do {
            _ = try EventParser.envelope(of: suiteCase.bytes)
        } catch {
            refusedForBytes = byteRejections.contains(error)
        }
        #expect(refusedForBytes == !expected)
    }
}
