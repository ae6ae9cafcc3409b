import Testing
import VODHookCore

@Suite("Trusted proxies and the client address")
struct TrustedProxiesTests {
    static let loopback = TrustedProxies(["127.0.0.1"])!
    static let local = TrustedProxies(["unix"])!

    @Test("an untrusted peer's headers are ignored")
    func untrusted() {
        let peer = PeerAddress.ip("198.51.100.7", port: 40_000)
        #expect(Self.loopback.forwardedClient(peer: peer, forwardedFor: "203.0.113.9", realIP: "203.0.113.9") == nil)
        #expect(TrustedProxies.none.forwardedClient(peer: .unix, forwardedFor: "203.0.113.9", realIP: nil) == nil)
    }

    @Test("a trusted proxy's rightmost address that is not itself a trusted proxy is the client")
    func rightmost() {
        let peer = PeerAddress.ip("127.0.0.1", port: 40_000)
        // The client claimed 1.2.3.4; the proxy appended the address it saw.
        #expect(Self.loopback.forwardedClient(peer: peer, forwardedFor: "1.2.3.4, 203.0.113.9", realIP: nil) == "203.0.113.9")
        #expect(Self.loopback.forwardedClient(peer: peer, forwardedFor: "203.0.113.9, 127.0.0.1", realIP: nil) == "203.0.113.9")
        #expect(Self.local.forwardedClient(peer: .unix, forwardedFor: "2001:DB8::1", realIP: nil) == "2001:db8::1")
    }

    @Test("X-Real-IP when there is no X-Forwarded-For; a garbled entry believes nothing")
    func realIPAndGarbage() {
        #expect(Self.local.forwardedClient(peer: .unix, forwardedFor: nil, realIP: " 203.0.113.9 ") == "203.0.113.9")
        #expect(Self.local.forwardedClient(peer: .unix, forwardedFor: "203.0.113.9, evil\nline", realIP: nil) == nil)
        #expect(Self.local.forwardedClient(peer: .unix, forwardedFor: nil, realIP: "not-an-address") == nil)
    }

    @Test("entries: addresses and unix; anything else is refused")
    func entries() {
        #expect(TrustedProxies(["unix", "10.1.2.3", "::1", "::ffff:10.0.0.1"]) != nil)
        for bad in ["localhost", "10.0.0.256", "10.0.0.01", "1.2.3", "1::2::3", "1:2:3:4:5:6:7:8:9", "127.0.0.1:80", ""] {
            #expect(TrustedProxies([bad]) == nil, "\(bad)")
        }
    }

    @Test("IP text: valid shapes")
    func ipText() {
        for good in [
            "0.0.0.0", "255.255.255.255", "::", "::1", "1::", "fe80::1:2", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:1.2.3.4",
        ] {
            #expect(IPAddressText.normalized(good) != nil, "\(good)")
        }
    }
}
