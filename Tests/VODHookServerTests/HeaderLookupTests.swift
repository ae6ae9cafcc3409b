import HTTPTypes
import Testing
@testable import VODHookServer

@Suite struct HeaderLookupTests {
    @Test("the request path's header lookup answers as HTTPFields' subscript", arguments: [
        [],
        [("X-VOD-TIMESTAMP", "1795521821")],
        [("x-vod-timestamp", "1795521821"), ("Content-Type", "application/json")],
        [("X-VOD-TIMESTAMP", "1"), ("Other", "x"), ("X-Vod-Timestamp", "2"), ("X-VOD-TIMESTAMP", "")],
        [("Other", "x")],
    ] as [[(String, String)]])
    func sameAsSubscript(pairs: [(String, String)]) throws {
        var fields = HTTPFields()
        for (name, value) in pairs {
            fields.append(HTTPField(name: try #require(HTTPField.Name(name)), value: value))
        }
        let name = try #require(HTTPField.Name("X-VOD-TIMESTAMP"))
        #expect(CallbackRoutes.value(of: name, in: fields) == fields[name])
        #expect(CallbackRoutes.value(of: .contentLength, in: fields) == fields[.contentLength])
    }
}
