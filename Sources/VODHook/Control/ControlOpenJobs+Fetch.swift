public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import VODHookCore

extension ControlOpenJobsResponse {
    /// The open jobs of the server listening on `socketPath` (``ControlSocket/path(dataDir:)``).
    public static func fetch(socketPath: String, client: HTTPClient) async throws -> ControlOpenJobsResponse {
        guard let url = URL(httpURLWithSocketPath: socketPath, uri: path) else {
            throw LedgerSinkError("control socket path \(socketPath) cannot be addressed")
        }
        let answer: ByteBuffer
        do {
            let response = try await client.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
            answer = try await response.body.collect(upTo: 1 << 30)
            guard response.status == .ok else {
                throw LedgerSinkError("HTTP \(response.status.code) " + String(buffer: answer))
            }
        } catch {
            throw LedgerSinkError("the running server did not list its open jobs: \(error)")
        }
        do {
            return try ControlOpenJobsResponse(decoding: Array(answer.readableBytesView))
        } catch {
            throw LedgerSinkError("the running server's open jobs did not decode: \(error)")
        }
    }

    /// The open jobs of the server running on `dataDir`; nil when none answers on its control socket.
    public static func fetch(dataDir: String, client: HTTPClient) async throws -> ControlOpenJobsResponse? {
        guard ControlSocket.answers(dataDir: dataDir) else { return nil }
        return try await fetch(socketPath: ControlSocket.path(dataDir: dataDir), client: client)
    }
}
