import Testing
import VODHookCore

/// VOD's error answers: which are retried, and how they read.
@Suite("VOD API errors")
struct VODAPIErrorTests {
    @Test(
        "throttling, internal errors and any 5xx are retried; auth and parameter errors are not",
        arguments: [
            (400, "Throttling", true), (400, "Throttling.User", true), (400, "Throttling.Api", true), (503, "Throttling", true),
            (500, "InternalError", true), (503, "ServiceUnAvailable", true), (502, "SomethingNew", true), (500, "", true),
            (400, "MissingParameter", false), (400, "InvalidParameter", false), (400, "SignatureDoesNotMatch", false),
            (404, "InvalidAccessKeyId.NotFound", false), (400, "InvalidAccessKeyId.Inactive", false),
            (400, "InvalidTimeStamp.Expired", false), (400, "SignatureNonceUsed", false), (403, "Forbidden", false),
            (403, "Forbidden.RAM", false), (403, "OperationDenied", false), (403, "OperationDenied.Suspended", false),
            (400, "ThrottlingSomething", false),
        ] as [(Int, String, Bool)])
    func classification(status: Int, code: String, retryable: Bool) {
        #expect(VODAPIError(httpStatus: status, code: code, message: "m").isRetryable == retryable)
    }

    @Test(
        "only throttling says the call did nothing; a server error (any 5xx) may have taken effect",
        arguments: [
            (400, "Throttling.User", true, false), (503, "Throttling", true, false), (500, "InternalError", false, true),
            (503, "ServiceUnavailable", false, true), (502, "", false, true), (504, "", false, true),
            (400, "InvalidParameter", false, false), (403, "Forbidden", false, false),
        ] as [(Int, String, Bool, Bool)])
    func takenEffect(status: Int, code: String, throttling: Bool, mayHaveTakenEffect: Bool) {
        let error = VODAPIError(httpStatus: status, code: code, message: "m")
        #expect(error.isThrottling == throttling && error.mayHaveTakenEffect == mayHaveTakenEffect)
    }

    @Test("an error body is read with its code, message, request ID and recommendation") func parse() throws {
        let body =
            #"{"RequestId":"R-1","HostId":"vod.cn-shanghai.aliyuncs.com","Code":"Throttling.User","Message":"Request was denied due to user flow control.","Recommend":"https://x"}"#
        let error = try #require(VODAPIError.parse(httpStatus: 400, body: Array(body.utf8)))
        #expect(
            error
                == VODAPIError(
                    httpStatus: 400, code: "Throttling.User", message: "Request was denied due to user flow control.",
                    requestId: "R-1", recommend: "https://x", hostId: "vod.cn-shanghai.aliyuncs.com"))
        #expect(
            error.description
                == "VOD error Throttling.User (HTTP 400): Request was denied due to user flow control.; RequestId R-1")
    }

    @Test("a body without a Code is not a VOD error", arguments: ["<html>bad gateway</html>", #"{"RequestId":"r"}"#, ""])
    func notAnError(body: String) {
        #expect(VODAPIError.parse(httpStatus: 502, body: Array(body.utf8)) == nil)
    }

    @Test("the description is one line and never repeats VOD's string to sign") func noStringToSign() {
        let error = VODAPIError(
            httpStatus: 400, code: "SignatureDoesNotMatch",
            message:
                "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIsecretid%26SecurityToken%3Dtok\nmore",
            requestId: "R-2")
        let text = error.description
        #expect(!text.contains("LTAIsecretid") && !text.contains("tok") && !text.contains("\n"))
        #expect(
            text.hasPrefix("VOD error SignatureDoesNotMatch (HTTP 400): Specified signature is not matched with our calculation.")
        )
        #expect(text.hasSuffix("; RequestId R-2"))
    }

    @Test("redacting blanks known credentials in the message") func redacting() {
        let error = VODAPIError(httpStatus: 400, code: "X", message: "key LTAIabc is bad", recommend: "u?k=LTAIabc")
            .redacting(["LTAIabc", ""])
        #expect(error.message == "key <redacted> is bad" && error.recommend == "u?k=<redacted>")
    }
}
