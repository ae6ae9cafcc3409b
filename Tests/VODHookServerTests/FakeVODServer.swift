import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import VODHook
import VODHookCore

/// A fake VOD API on 127.0.0.1 (port 0): checks each call's signature in either style exactly as
/// VOD does (`SignatureCheck`, any mismatch refused), then answers `SubmitAIJob` and `ListAIJob`
/// from `FakeVODState`, playing any scripted fault. When a job completes (`FakeVODState.complete`,
/// or on its own with `autoComplete`), it POSTs the signed callback VOD would send
/// (FakeVODCallbacks.swift).
enum FakeVODServer {
    static let logger = Logger(label: "fake-vod", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs the fake for the duration of `body`, which gets the endpoint to call.
    static func run<Value: Sendable>(
        _ state: FakeVODState,
        _ body: @Sendable (VODEndpoint) async throws -> Value
    ) async throws -> Value {
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in try await handle(request, state: state) },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger)
        return try await app.test(.live) { client in
            guard let port = client.port else { throw FakeVODError.noPort }
            return try await body(try VODEndpoint(url: "http://127.0.0.1:\(port)"))
        }
    }

    /// One call: rebuild what VOD would see, verify, then answer.
    static func handle(_ request: Request, state: FakeVODState) async throws -> Response {
        state.arrived()
        let body = try await request.body.collect(upTo: 64 * 1024)
        let rawQuery = request.uri.query ?? ""
        var headers = request.headers.map { ACSHeader(name: $0.name.canonicalName, value: $0.value) }
        let hostsInFields = headers.filter { $0.name == "host" }.count
        // HTTP/1's Host becomes `:authority` in HTTPTypes; VOD signs it as `host`.
        if let authority = request.head.authority, hostsInFields == 0 {
            headers.insert(ACSHeader(name: "host", value: authority), at: 0)
        }
        var call = FakeVODCall(
            action: nil, style: nil, status: 0, code: nil, rawQuery: rawQuery,
            hostCount: hostsInFields + (request.head.authority == nil ? 0 : 1))
        func answer(_ status: Int, _ code: String? = nil, _ response: Response) -> Response {
            call.status = status
            call.code = code
            state.record(call)
            return response
        }
        func refuse(_ status: Int, _ code: String, _ message: String) -> Response {
            answer(status, code, FakeVODResponses.error(status, code: code, message: message))
        }

        guard let items = ACSPercentEncoding.decodeQuery(rawQuery) else {
            return refuse(400, "InvalidParameter", "The query is not validly percent-encoded.")
        }
        let received = ReceivedRequest(
            method: request.method.rawValue, path: request.uri.path, queryItems: items,
            headers: headers, body: Array(buffer: body))
        call.style = try? SignatureCheck.style(of: received)
        let verified: VerifiedSignature
        switch verify(received, state: state) {
        case .success(let value):
            verified = value
        case .failure(let error):
            let (status, code, message) = refusal(for: error, received: received)
            return refuse(status, code, message)
        }
        call.action = verified.action
        guard state.useNonce(verified.nonce) else {
            return refuse(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        }
        guard verified.version == ACSRequest.vodAPIVersion else {
            return refuse(400, "InvalidVersion", "Specified parameter Version is not valid.")
        }
        let parameters = Dictionary(verified.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        if verified.action == "ListAIJob" {
            call.listedJobIds = (parameters["JobIds"] ?? "").split(separator: ",").map(String.init)
        }

        var answerDelay: Duration?
        var proxyStatus: Int?
        switch state.nextFault() {
        case .throttle?:
            return refuse(400, "Throttling.User", "Request was denied due to user flow control.")
        case .internalError?:
            return refuse(500, "InternalError", "The request processing has failed due to some unknown error.")
        case .malformedBody?:
            return answer(200, nil, FakeVODResponses.raw(200, Array(#"{"RequestId":"x","AIJobList":"#.utf8)))
        case .delay(let duration)?:
            try await Task.sleep(for: duration)
        case .answerAfter(let duration)?:
            answerDelay = duration
        case .answeredByProxy(let status)?:
            proxyStatus = status
        case nil:
            break
        }

        switch verified.action {
        case "SubmitAIJob":
            guard let mediaId = parameters["MediaId"], !mediaId.isEmpty else {
                return refuse(400, "MissingParameter", "The input parameter \"MediaId\" that is mandatory is not supplied.")
            }
            let types = (parameters["Types"] ?? "").split(separator: ",").map(String.init)
            guard !types.isEmpty, types.allSatisfy({ ["AIVideoTag", "AIMediaDNA"].contains($0) }) else {
                return refuse(400, "InvalidParameter", "The specified parameter \"Types\" is not valid.")
            }
            let jobs = state.submit(mediaId: mediaId, types: types, userData: parameters["UserData"])
            if let answerDelay { try await Task.sleep(for: answerDelay) }
            if let proxyStatus { return answer(proxyStatus, nil, FakeVODResponses.proxyPage(proxyStatus)) }
            return answer(200, nil, FakeVODResponses.submitted(jobs))
        case "ListAIJob":
            guard !call.listedJobIds.isEmpty, call.listedJobIds.count <= 10 else {
                return refuse(400, "InvalidParameter", "The specified parameter \"JobIds\" is not valid.")
            }
            let (known, unknown) = state.lookup(call.listedJobIds)
            if let proxyStatus { return answer(proxyStatus, nil, FakeVODResponses.proxyPage(proxyStatus)) }
            return answer(200, nil, FakeVODResponses.listed(known, unknown: unknown, bareString: state.nonExistAsBareString))
        default:
            return refuse(400, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
        }
    }

    /// `SignatureCheck.verify` as a `Result`, so its typed error stays typed here.
    private static func verify(_ received: ReceivedRequest, state: FakeVODState) -> Result<VerifiedSignature, SignatureCheckError>
    {
        do {
            return .success(try SignatureCheck.verify(received, now: state.now()) { state.credentials(for: $0) })
        } catch {
            return .failure(error)
        }
    }

    /// VOD's answer to each refusal. A signature mismatch quotes the server's string to sign, as
    /// VOD does, which names the AccessKey ID (and the STS token, for RPC): clients must not print it.
    private static func refusal(for error: SignatureCheckError, received: ReceivedRequest) -> (Int, String, String) {
        switch error {
        case .unknownAccessKeyId:
            return (400, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        case .staleTimestamp:
            return (400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        case .malformedTimestamp:
            return (400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
        case .securityTokenMismatch:
            return (400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.")
        case .missingSignature, .missingField, .duplicateField, .malformedSignature, .unsupportedSignatureMethod,
            .unsignedHeader, .contentHashMismatch, .signatureMismatch:
            let unsigned = received.queryItems.filter { $0.name != "Signature" }
            let stringToSign = "\(received.method)&%2F&" + ACSPercentEncoding.encode(ACSPercentEncoding.canonicalQuery(unsigned))
            return (
                400, "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. server string to sign is:\(stringToSign)"
            )
        }
    }
}

enum FakeVODError: Error {
    case noPort
}
