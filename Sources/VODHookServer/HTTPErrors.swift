public import Hummingbird
import NIOCore
public import VODHook
public import VODHookCore

/// Refusals answer with a small JSON body naming the class of problem, never an expected value.
enum ErrorBody {
    static func response(status: HTTPResponse.Status, code: String, reason: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: buffer(code: code, reason: reason)))
    }

    /// `{"error":"<code>","reason":"<reason>"}`: both are fixed texts of ours, never escaped.
    static func buffer(code: String, reason: String) -> ByteBuffer {
        ByteBuffer(string: #"{"error":""# + code + #"","reason":""# + reason + "\"}\n")
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
        ErrorBody.response(
            status: .serviceUnavailable, code: "ledger_unavailable", reason: "the event could not be recorded; retry")
    }
}
