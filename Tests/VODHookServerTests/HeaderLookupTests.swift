import HTTPTypes
import NIOHTTP1
import Testing

@testable import VODHookServer

@Suite struct HeaderLookupTests {
    /// The callback handler reads NIO's headers; what it reads must be what HTTPFields (and so
    /// every Hummingbird route) would read: names match case-insensitively, repeats join by ", ".
    @Test(
        "the callback handler's header lookup answers as HTTPFields' subscript",
        arguments: [
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
        let headers = HTTPHeaders(pairs)
        let name = try #require(HTTPField.Name("X-VOD-TIMESTAMP"))
        #expect(CallbackChannelHandler.value(of: "X-VOD-TIMESTAMP", in: headers) == fields[name])
        #expect(CallbackChannelHandler.value(of: "Content-Length", in: headers) == fields[.contentLength])
    }
}
