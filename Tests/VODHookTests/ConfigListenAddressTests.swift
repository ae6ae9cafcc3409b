import Testing
import VODHook

@Suite("Listen addresses")
struct ConfigListenAddressTests {
    @Test(
        "every listen syntax parses, and its description parses back to the same address",
        arguments: [
            ("127.0.0.1:8080", ListenAddress.tcp(host: "127.0.0.1", port: 8080), "127.0.0.1:8080"),
            ("localhost:80", .tcp(host: "localhost", port: 80), "localhost:80"),
            ("media-1.example.com:443", .tcp(host: "media-1.example.com", port: 443), "media-1.example.com:443"),
            ("[::1]:8080", .tcp(host: "::1", port: 8080), "[::1]:8080"),
            ("[::]:9000", .tcp(host: "::", port: 9000), "[::]:9000"),
            ("[fe80::1%eth0]:80", .tcp(host: "fe80::1%eth0", port: 80), "[fe80::1%eth0]:80"),
            (":9000", .tcp(host: "0.0.0.0", port: 9000), "0.0.0.0:9000"),
            ("0.0.0.0:0", .tcp(host: "0.0.0.0", port: 0), "0.0.0.0:0"),
            ("127.0.0.1:65535", .tcp(host: "127.0.0.1", port: 65535), "127.0.0.1:65535"),
            ("unix:/run/vodhook.sock", .unix(path: "/run/vodhook.sock"), "unix:/run/vodhook.sock"),
            ("unix:vodhook.sock", .unix(path: "vodhook.sock"), "unix:vodhook.sock"),
        ] as [(String, ListenAddress, String)])
    func parses(text: String, expected: ListenAddress, description: String) {
        let address = ListenAddress(text)
        #expect(address == expected)
        #expect(address?.description == description)
        #expect(ListenAddress(description) == expected)
    }

    @Test(
        "malformed listen addresses are refused",
        arguments: [
            "", "nonsense", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+80",
            "127.0.0.1:http", "::1:8080", "[::1]8080", "[::1]", "[]:80", "[::1:80", "unix:", "host name:80",
            "http://example.com:80", "127.0.0.1:080800", ":",
        ])
    func refused(text: String) {
        #expect(ListenAddress(text) == nil)
    }
}
