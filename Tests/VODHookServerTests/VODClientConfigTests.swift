import Testing
import VODHook
import VODHookCore

/// Endpoints from --region / --endpoint, and credentials from the environment.
@Suite("VOD client: endpoint and credentials")
struct VODClientConfigTests {
    @Test(
        "a region maps to its VOD host; cn-hangzhou goes to Shanghai as the SDKs do",
        arguments: [
            ("cn-shanghai", "vod.cn-shanghai.aliyuncs.com"), ("cn-hangzhou", "vod.cn-shanghai.aliyuncs.com"),
            ("cn-beijing", "vod.cn-beijing.aliyuncs.com"), ("ap-southeast-1", "vod.ap-southeast-1.aliyuncs.com"),
            ("EU-Central-1", "vod.eu-central-1.aliyuncs.com"),
        ])
    func region(region: String, host: String) throws {
        let endpoint = try VODEndpoint(region: region)
        #expect(endpoint.host == host && endpoint.scheme == "https" && endpoint.url == "https://\(host)")
    }

    @Test("with neither option the endpoint is Shanghai; --endpoint wins over --region") func resolve() throws {
        #expect(try VODEndpoint.resolve(region: nil, endpoint: nil).host == "vod.cn-shanghai.aliyuncs.com")
        #expect(try VODEndpoint.resolve(region: "cn-beijing", endpoint: "http://127.0.0.1:8081").url == "http://127.0.0.1:8081")
    }

    @Test(
        "explicit endpoints keep a non-default port and drop a default one",
        arguments: [
            ("http://127.0.0.1:8081", "http", "127.0.0.1:8081"), ("https://vod.example.com/", "https", "vod.example.com"),
            ("https://VOD.Example.com:443", "https", "vod.example.com"), ("http://gw.internal:80", "http", "gw.internal"),
            ("https://[::1]:9443", "https", "[::1]:9443"),
        ])
    func explicit(url: String, scheme: String, host: String) throws {
        let endpoint = try VODEndpoint(url: url)
        #expect(endpoint.scheme == scheme && endpoint.host == host)
    }

    @Test(
        "unusable endpoints and regions are refused",
        arguments: [
            "ftp://x", "vod.cn-shanghai.aliyuncs.com", "https://", "https://x/api", "https://u@x", "https://x?a=1",
            "http://x:0", "http://x:99999", "http://x:8a", "https://x y",
        ])
    func badURL(url: String) {
        #expect(throws: VODEndpointError.self) { try VODEndpoint(url: url) }
    }

    @Test("a region must be a region ID", arguments: ["", "cn_shanghai", "-cn", "cn/shanghai", "vod.cn-shanghai"])
    func badRegion(region: String) {
        #expect(throws: VODEndpointError.invalidRegion(region)) { try VODEndpoint(region: region) }
    }

    @Test("credentials come from the three ALIBABA_CLOUD_ variables") func environment() throws {
        let plain = try VODCredentials.fromEnvironment([
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sec",
        ])
        #expect(plain == ACSCredentials(accessKeyId: "LTAIid", accessKeySecret: "sec"))
        let sts = try VODCredentials.fromEnvironment([
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "STS.id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sec",
            "ALIBABA_CLOUD_SECURITY_TOKEN": "tok",
        ])
        #expect(sts.securityToken == "tok")
        let emptyToken = try VODCredentials.fromEnvironment([
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sec", "ALIBABA_CLOUD_SECURITY_TOKEN": "",
        ])
        #expect(emptyToken.securityToken == nil)
    }

    @Test(
        "a missing, empty or malformed variable is named, its value never shown",
        arguments: [
            ([:], VODCredentialsError.missing(variable: "ALIBABA_CLOUD_ACCESS_KEY_ID")),
            (["ALIBABA_CLOUD_ACCESS_KEY_ID": "id"], .missing(variable: "ALIBABA_CLOUD_ACCESS_KEY_SECRET")),
            (
                ["ALIBABA_CLOUD_ACCESS_KEY_ID": "", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s"],
                .empty(variable: "ALIBABA_CLOUD_ACCESS_KEY_ID")
            ),
            (
                ["ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "se cret"],
                .malformed(variable: "ALIBABA_CLOUD_ACCESS_KEY_SECRET")
            ),
            (
                [
                    "ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s",
                    "ALIBABA_CLOUD_SECURITY_TOKEN": "t\n",
                ],
                .malformed(variable: "ALIBABA_CLOUD_SECURITY_TOKEN")
            ),
        ] as [([String: String], VODCredentialsError)])
    func missing(environment: [String: String], expected: VODCredentialsError) {
        #expect(throws: expected) { try VODCredentials.fromEnvironment(environment) }
        #expect(!"\(expected)".contains("se cret") && "\(expected)".contains("ALIBABA_CLOUD_"))
    }

    @Test("client errors read as one line") func descriptions() {
        let errors: [VODClientError] = [
            .api(VODAPIError(httpStatus: 400, code: "Throttling.User", message: "slow\ndown", requestId: "R")),
            .outcomeUnknown("SubmitAIJob: HTTPClientError.deadlineExceeded"), .transport("ListAIJob: not sent"),
            .malformedResponse("ListAIJob: not JSON"), .invalidRequest("MediaId is empty"),
        ]
        for error in errors { #expect(!"\(error)".contains("\n") && !"\(error)".isEmpty) }
        #expect("\(errors[0])" == "VOD error Throttling.User (HTTP 400): slow down; RequestId R")
    }
}
