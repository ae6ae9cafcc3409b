public import Hummingbird
public import VODHook

/// `GET /healthz` (the process answers) and `GET /readyz` (the ledger takes writes):
/// unauthenticated, on the main listener or on `--admin-listen`. While serve reads the ledger
/// at start, `/readyz` answers 503 with `Retry-After`.
public struct HealthRoutes: Sendable {
    public let ledger: LedgerGate

    public init(ledger: LedgerWriter) {
        self.ledger = LedgerGate(ledger)
    }

    public init(gate: LedgerGate) {
        ledger = gate
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ in
            guard let writer = ledger.current else {
                return Response(
                    status: .serviceUnavailable, headers: [.retryAfter: String(LedgerGate.retryAfterSeconds)],
                    body: .init(byteBuffer: .init(string: "ledger opening\n")))
            }
            return writer.isReady
                ? Response(status: .ok, body: .init(byteBuffer: .init(string: "ready\n")))
                : Response(status: .serviceUnavailable, body: .init(byteBuffer: .init(string: "ledger not writable\n")))
        }
    }
}
