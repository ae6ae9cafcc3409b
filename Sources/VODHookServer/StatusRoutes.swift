import Foundation
public import Hummingbird
import NIOCore
public import VODHook
import VODHookCore

/// `GET /status`: what `vodhook status --admin URL` shows (uptime, ledger files, last seq,
/// pending and unknown jobs, last event, ready), as one JSON object. Admin listener only.
public struct StatusRoutes: Sendable {
    public let ledger: LedgerWriter
    /// When serve started (Unix ms).
    public let startedAt: Int64

    public init(ledger: LedgerWriter, startedAt: Int64) {
        self.ledger = ledger
        self.startedAt = startedAt
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("status") { _, _ in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = try encoder.encode(ServerStatus.live(writer: ledger, startedAt: startedAt))
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
