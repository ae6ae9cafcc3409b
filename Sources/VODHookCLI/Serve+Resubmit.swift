import AsyncHTTPClient
import VODHook
import VODHookCore

extension Serve {
    /// The VOD API credentials `resubmit` handlers will call with, checked at start: a serve
    /// that would fail every re-submission must not start. Nil when no handler resubmits.
    static func resubmitCredentials(for handlers: [HandlerSpec], environment: [String: String]) throws -> ACSCredentials? {
        guard let first = handlers.first(where: { $0.action.keyword == "resubmit" }) else { return nil }
        do {
            return try VODCredentials.resolve(environment)
        } catch {
            throw CLIError("handler \(first.name) (resubmit) calls the VOD API: \(error)")
        }
    }

    /// The VOD API client of serve's settings (`--endpoint`/`--region`, `--signature-version`):
    /// what `--reconcile-every` and `resubmit` handlers call with.
    static func vodClient(_ settings: ServeSettings, credentials: ACSCredentials, httpClient: HTTPClient) -> VODClient {
        VODClient(
            endpoint: settings.endpoint, credentials: credentials, style: settings.signatureVersion,
            transport: AsyncHTTPClientTransport(endpoint: settings.endpoint, client: httpClient))
    }
}
