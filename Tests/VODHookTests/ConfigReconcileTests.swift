import Testing
import VODHook
import VODHookCore

@Suite("Configuration: reconcile and the VOD API")
struct ConfigReconcileTests {
    @Test("by default serve never reconciles and would call cn-shanghai with v3 signatures") func defaults() throws {
        let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: nil)
        #expect(settings.reconcileEvery == nil)
        #expect(settings.reconcileOlderThan == 600_000)
        #expect(settings.endpoint.url == "https://vod.cn-shanghai.aliyuncs.com")
        #expect(settings.signatureVersion == .v3)
    }

    @Test("flags over environment: spans, region, endpoint, style") func layered() throws {
        let environment = [
            "VODHOOK_RECONCILE_EVERY": "5m", "VODHOOK_REGION": "ap-southeast-1", "VODHOOK_SIGNATURE_VERSION": "rpc",
        ]
        let fromEnvironment = try ServeSettings.load(flags: ServeFlags(), environment: environment, configFile: nil)
        #expect(fromEnvironment.reconcileEvery == 300_000)
        #expect(fromEnvironment.endpoint.url == "https://vod.ap-southeast-1.aliyuncs.com")
        #expect(fromEnvironment.signatureVersion == .rpc)
        let flags = ServeFlags([.reconcileEvery: "30s", .reconcileOlderThan: "1h", .endpoint: "http://127.0.0.1:9000"])
        let fromFlags = try ServeSettings.load(flags: flags, environment: environment, configFile: nil)
        #expect(fromFlags.reconcileEvery == 30_000)
        #expect(fromFlags.reconcileOlderThan == 3_600_000)
        #expect(fromFlags.endpoint.url == "http://127.0.0.1:9000", "an endpoint wins over a region")
    }

    @Test(
        "bad values name the setting as spelled in its source",
        arguments: [
            (ServeFlags([.reconcileEvery: "0s"]), "--reconcile-every"),
            (ServeFlags([.reconcileEvery: "soon"]), "--reconcile-every"),
            (ServeFlags([.reconcileOlderThan: "-1m"]), "--reconcile-older-than"),
            (ServeFlags([.region: "cn shanghai"]), "--region"),
            (ServeFlags([.endpoint: "ftp://x"]), "--endpoint"),
            (ServeFlags([.signatureVersion: "v2"]), "--signature-version"),
        ])
    func refused(flags: ServeFlags, name: String) {
        do {
            _ = try ServeSettings.load(flags: flags, environment: [:], configFile: nil)
            Issue.record("accepted \(flags)")
        } catch {
            #expect(error.description.contains(name), "\(error)")
        }
    }
}
