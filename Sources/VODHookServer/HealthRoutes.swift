public import Hummingbird
public import VODHook

/// `GET /healthz` (the process answers) and `GET /readyz` (the ledger takes writes):
/// unauthenticated, on the main listener or on `--admin-listen`.
public struct HealthRoutes: Sendable {
    public let ledger: LedgerWriter

    public init(ledger: LedgerWriter) {
        self.ledger = ledger
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ in
            ledger.isReady
                ? Response(status: .ok, body: .init(byteBuffer: .init(string: "ready\n")))
                : Response(status: .serviceUnavailable, body: .init(byteBuffer: .init(string: "ledger not writable\n")))
        }
    }
}
