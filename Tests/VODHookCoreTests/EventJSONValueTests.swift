import Foundation
import Testing
import VODHookCore

@Suite struct EventJSONValueTests {
    private let value: JSONValue = [
        "s": "text", "n": 42, "d": 1.5, "b": true, "z": nil as JSONValue? ?? .null,
        "a": ["x", 2], "o": ["k": "v"],
    ]

    @Test("accessors return a value only for their own kind")
    func accessors() {
        #expect(value["s"]?.stringValue == "text")
        #expect(value["n"]?.stringValue == nil)
        #expect(value["n"]?.doubleValue == 42)
        #expect(value["n"]?.int64Value == 42)
        #expect(value["d"]?.int64Value == nil)
        #expect(value["b"]?.boolValue == true)
        #expect(value["n"]?.boolValue == nil)
        #expect(value["z"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["a"]?[1] == 2)
        #expect(value["a"]?[2] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value["a"]?.arrayValue?.count == 2)
        #expect(value["o"]?.objectValue == ["k": "v"])
        #expect(value["s"]?["k"] == nil)
        #expect(value[0] == nil)
    }

    @Test("encoding then decoding gives the same value")
    func codableRoundTrip() throws {
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }

    @Test(
        "booleans and numbers stay distinct kinds when decoded",
        arguments: [
            ("true", JSONValue.bool(true)), ("1", .number(1)), ("0", .number(0)), ("false", .bool(false)),
            (#""1""#, .string("1")), ("null", .null), ("[]", .array([])), ("{}", .object([:])),
        ] as [(String, JSONValue)])
    func kinds(json: String, expected: JSONValue) throws {
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) == expected)
    }
}
