import Foundation
public import Hummingbird
import NIOCore
public import VODHook
import VODHookCore

/// `GET /status`: what `vodhook status --admin URL` shows (uptime, ledger files, last seq,
/// pending and unknown jobs, last event, ready), as one JSON object. Admin listener only.
public struct StatusRoutes: Sendable {
    /// Empty while serve reads the ledger at start: `/status` answers 503 meanwhile.
    public let ledger: LedgerGate
    /// When serve started (Unix ms).
    public let startedAt: Int64

    public init(ledger: LedgerWriter, startedAt: Int64) {
        self.init(gate: LedgerGate(ledger), startedAt: startedAt)
    }

    public init(gate: LedgerGate, startedAt: Int64) {
        self.ledger = gate
        self.startedAt = startedAt
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("status") { _, _ in
            guard let ledger = ledger.current else {
                var response = ErrorBody.response(
                    status: .serviceUnavailable, code: "ledger_opening",
                    reason: "the server is starting and reading its ledger; retry")
                response.headers[.retryAfter] = String(LedgerGate.retryAfterSeconds)
                return response
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = try encoder.encode(ServerStatus.live(writer: ledger, startedAt: startedAt))
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
