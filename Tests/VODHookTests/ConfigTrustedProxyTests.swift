import Testing
import VODHook
import VODHookCore

@Suite("Configuration: trusted_proxy")
struct ConfigTrustedProxyTests {
    @Test("none by default: no peer's forwarding headers are believed")
    func noneByDefault() throws {
        let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: nil)
        #expect(settings.trustedProxies == .none)
        #expect(!settings.trustedProxies.trusts(.unix))
    }

    @Test("addresses and unix, from a YAML list")
    func yamlList() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", "trusted_proxy: [unix, 127.0.0.1, \"::1\"]\n")
            let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            #expect(settings.trustedProxies.unix)
            #expect(settings.trustedProxies.addresses == ["127.0.0.1", "::1"])
        }
    }

    @Test(
        "a host name or an address with a port is refused, naming the key and the value",
        arguments: ["proxy.example", "127.0.0.1:80", "10.0.0.0/8"])
    func refused(value: String) {
        #expect {
            _ = try ServeSettings.load(
                flags: ServeFlags(lists: [.trustedProxy: ["unix", value]]), environment: [:], configFile: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains("--trusted-proxy") && text.contains(value)
        }
        #expect {
            _ = try ServeSettings.load(
                flags: ServeFlags(), environment: ["VODHOOK_TRUSTED_PROXY": "unix,\(value)"], configFile: nil)
        } throws: { error in
            "\(error)".contains("VODHOOK_TRUSTED_PROXY")
        }
    }
}
