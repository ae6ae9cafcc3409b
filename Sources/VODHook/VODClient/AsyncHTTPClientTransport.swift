public import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
public import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The production ``VODTransport`` over AsyncHTTPClient.
///
/// The URL is `request.url(scheme:)` as signed. AsyncHTTPClient parses it with Foundation's `URL`
/// and sends `percentEncodedPath + "?" + query` from it; the signer only ever writes unreserved
/// bytes and `%XY` escapes in the query, which that parse leaves untouched. The signed `host`
/// header is sent as given: AsyncHTTPClient adds its own only when none is present.
public struct AsyncHTTPClientTransport: VODTransport {
    /// The answer size beyond which the body is refused: VOD's answers are a few KiB.
    public static let defaultMaxResponseBytes = 4 << 20

    private let client: HTTPClient
    private let scheme: String
    private let maxResponseBytes: Int

    /// Sends to `endpoint`'s scheme through `client` (the caller owns it and shuts it down).
    public init(endpoint: VODEndpoint, client: HTTPClient, maxResponseBytes: Int = defaultMaxResponseBytes) {
        self.client = client
        self.scheme = endpoint.scheme
        self.maxResponseBytes = maxResponseBytes
    }

    /// A client for VOD calls: no redirects (a redirected signed call would not verify anyway) and
    /// no pooled connection retries, so a refused connection fails at once as
    /// ``VODTransportError/notSent(_:)`` and the client's own backoff decides.
    public static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    /// Sends the request and collects the whole answer within `timeout`.
    public func send(_ request: SignedRequest, timeout: Duration) async throws -> (status: Int, body: [UInt8]) {
        var http = HTTPClientRequest(url: request.url(scheme: scheme))
        http.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            http.headers.add(name: header.name, value: header.value)
        }
        if !request.body.isEmpty {
            http.body = .bytes(request.body)
        }
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        do {
            let response = try await client.execute(http, deadline: deadline)
            let body = try await response.body.collect(upTo: maxResponseBytes)
            return (Int(response.status.code), Array(body.readableBytesView))
        } catch {
            throw Self.classify(error)
        }
    }

    /// Sorts AsyncHTTPClient's and NIO's errors into "never sent" and "may have arrived".
    /// Anything not known to happen before sending counts as "may have arrived": for a submit,
    /// guessing "not sent" wrongly could create a second billed job.
    static func classify(_ error: any Error) -> VODTransportError {
        if let http = error as? HTTPClientError {
            let beforeSending: [HTTPClientError] = [
                .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout,
                .httpProxyHandshakeTimeout, .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown,
            ]
            return beforeSending.contains(http) ? .notSent("\(http)") : .outcomeUnknown("\(http)")
        }
        if error is NIOConnectionError {
            return .notSent("could not connect")
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel {
            return .notSent("connect timeout")
        }
        if let io = error as? IOError, Self.connectErrnos.contains(io.errnoCode) {
            return .notSent("could not connect (errno \(io.errnoCode))")
        }
        if error is CancellationError {
            return .outcomeUnknown("cancelled")
        }
        return .outcomeUnknown(String(describing: type(of: error)))
    }

    /// Errors that `connect(2)` raises and a write on an open connection does not.
    private static let connectErrnos: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL]
}
