public import Hummingbird
import Logging
import Metrics
import NIOCore
import HTTPTypes
public import VODHook
public import VODHookCore

/// The callback route: authenticate, read, validate, record durably, then answer 200.
///
/// Nothing is written for a refused request (no one can fill the disk without the key), and
/// nothing is answered 200 before its line is fdatasync'd.
public struct CallbackRoutes: Sendable {
    /// The paths of the configured public URLs: the only routes that take callbacks.
    public let paths: [String]
    /// `nil` only with `--insecure-no-auth`.
    public let verifier: CallbackVerifier?
    public let maxBody: Int
    public let ledger: LedgerWriter
    public let rejections: RejectionLog
    /// Unix seconds, for the timestamp window.
    public let now: @Sendable () -> Int64
    private let recorded = Counter(label: "vodhook_callbacks_accepted_total", dimensions: [("duplicate", "false")])
    private let duplicates = Counter(label: "vodhook_callbacks_accepted_total", dimensions: [("duplicate", "true")])

    public init(
        paths: [String], verifier: CallbackVerifier?, maxBody: Int, ledger: LedgerWriter,
        rejections: RejectionLog, now: @escaping @Sendable () -> Int64
    ) {
        self.paths = paths
        self.verifier = verifier
        self.maxBody = maxBody
        self.ledger = ledger
        self.rejections = rejections
        self.now = now
    }

    private static let timestampHeader = HTTPField.Name("X-VOD-TIMESTAMP")!
    private static let signatureHeader = HTTPField.Name("X-VOD-SIGNATURE")!
    private static let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!
    private static let otherMethods: [HTTPRequest.Method] = [.get, .head, .put, .delete, .patch, .options]

    public func addRoutes(to router: Router<CallbackRequestContext>) {
        for path in paths {
            router.post(RouterPath(path)) { request, context in
                try await receive(request, context: context)
            }
            for method in Self.otherMethods {
                router.on(RouterPath(path), method: method) { _, _ in
                    Response(status: .methodNotAllowed, headers: [.allow: "POST"])
                }
            }
        }
    }

    func receive(_ request: Request, context: CallbackRequestContext) async throws -> Response {
        do {
            if let verifier {
                try verifier.verify(
                    timestamp: Self.value(of: Self.timestampHeader, in: request.headers),
                    signature: Self.value(of: Self.signatureHeader, in: request.headers), now: now())
            }
            // Refuse a declared oversize body before reading any of it.
            if let length = Self.value(of: .contentLength, in: request.headers).flatMap(Int.init), length > maxBody {
                throw NIOTooManyBytesError(maxBytes: maxBody)
            }
            let buffer = try await request.body.collect(upTo: maxBody)
            let body = Array(buffer.readableBytesView)
            let envelope = try EventParser.envelope(of: body)
            let outcome = try await ledger.append(.event(EventRecord(envelope: envelope, body: body)))
            (outcome.isDuplicate ? duplicates : recorded).increment()
            return Self.accepted(outcome)
        } catch let error as CallbackAuthError {
            refused(request, context, status: error.status.code, reason: error.label)
            throw error
        } catch let error as EventRejection {
            refused(request, context, status: 400, reason: "bad_event")
            throw error
        } catch let error as NIOTooManyBytesError {
            refused(request, context, status: 413, reason: "too_large")
            throw error
        } catch let error as LedgerWriteError {
            context.logger.error("callback not recorded; answered 503", metadata: ["error": "\(error)"])
            throw error
        }
    }

    private func refused(_ request: Request, _ context: CallbackRequestContext, status: Int, reason: String) {
        rejections.record(
            status: status, reason: reason, peer: Self.describe(context.remoteAddress),
            forwardedFor: request.headers[Self.forwardedForHeader], now: now())
    }

    private static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "unix" }
        if let ip = address.ipAddress, let port = address.port { return "\(ip):\(port)" }
        return address.pathname ?? "unix"
    }

    private static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    private static func accepted(_ outcome: LedgerWriter.Outcome) -> Response {
        var body = ByteBufferAllocator().buffer(capacity: 48)
        body.writeStaticString(#"{"seq":"#)
        body.writeString(String(outcome.seq))
        body.writeStaticString(outcome.isDuplicate ? ",\"duplicate\":true}\n" : ",\"duplicate\":false}\n")
        return Response(status: .ok, headers: jsonHeaders, body: .init(byteBuffer: body))
    }

    /// `headers[name]` without its cost: HTTPFields' subscript goes through unspecialised
    /// generic code and builds a joined string even for one value (about 2% of the CPU per
    /// request in a profile, for three lookups). Same result: every value of `name`, in order,
    /// joined by ", " (never used for Cookie, which `HTTPFields` joins by "; ").
    static func value(of name: HTTPField.Name, in headers: HTTPFields) -> String? {
        var result: String?
        for field in headers where field.name == name {
            if let first = result {
                result = first + ", " + field.value
            } else {
                result = field.value
            }
        }
        return result
    }
}

extension LedgerWriter.Outcome {
    var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}
