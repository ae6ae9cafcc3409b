public import Hummingbird
import NIOCore
public import VODHook
public import VODHookCore

/// Refusals answer with a small JSON body naming the class of problem, never an expected value.
enum ErrorBody {
    static func response(status: HTTPResponse.Status, code: String, reason: String) -> Response {
        var body = ByteBuffer()
        body.writeString(#"{"error":""# + code + #"","reason":""# + reason + "\"}\n")
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}

extension CallbackAuthError: HTTPResponseError {
    /// 401 when the headers are missing or unreadable, 403 when they are readable and wrong.
    public var status: HTTPResponse.Status {
        switch self {
        case .missingHeader, .malformedTimestamp, .malformedSignature: .unauthorized
        case .stale, .signatureMismatch: .forbidden
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        ErrorBody.response(status: status, code: label, reason: reason)
    }
}

extension EventRejection: HTTPResponseError {
    /// Always 400: the body can never be accepted, so a retry cannot help.
    public var status: HTTPResponse.Status { .badRequest }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        ErrorBody.response(status: .badRequest, code: "bad_event", reason: reason)
    }
}

extension LedgerWriteError: HTTPResponseError {
    /// 503: not recorded, so VOD must retry. Never a 200 for a line that is not durable.
    public var status: HTTPResponse.Status { .serviceUnavailable }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        // The errno text stays in the server log; the client learns only that it should retry.
        ErrorBody.response(status: .serviceUnavailable, code: "ledger_unavailable", reason: "the event could not be recorded; retry")
    }
}
