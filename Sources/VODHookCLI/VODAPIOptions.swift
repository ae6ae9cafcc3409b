import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import VODHook
import VODHookCore

/// How `submit` and `reconcile` reach the VOD API. Credentials come from the environment or
/// Alibaba's credentials file (``VODCredentials/resolve(_:)``): never a flag, never printed.
struct VODAPIOptions: ParsableArguments {
    @Option(help: "The media's region, e.g. cn-shanghai, cn-beijing, ap-southeast-1. (default: cn-shanghai)")
    var region: String?

    @Option(help: "Call this http(s)://host[:port] instead of the region's endpoint (private gateways, tests).")
    var endpoint: String?

    @Option(name: .customLong("signature-version"), help: "v3 (ACS3-HMAC-SHA256, as Alibaba's SDKs) or rpc (HMAC-SHA1).")
    var signatureVersion = "v3"

    @Option(name: .customLong("api-timeout"), help: "Seconds each VOD API call may take.")
    var apiTimeout = 10

    /// The region whose offer applies: --region, or the default when no --endpoint replaces it.
    var offerRegion: String? {
        region ?? (endpoint == nil ? VODEndpoint.defaultRegion : nil)
    }

    func validate() throws {
        guard signatureVersion == "v3" || signatureVersion == "rpc" else {
            throw ValidationError("--signature-version: v3 or rpc")
        }
        guard apiTimeout > 0 else { throw ValidationError("--api-timeout: a positive number of seconds") }
    }

    func makeClient(httpClient: HTTPClient) throws -> VODClient {
        let endpoint: VODEndpoint
        let credentials: ACSCredentials
        do {
            endpoint = try VODEndpoint.resolve(region: region, endpoint: self.endpoint)
            credentials = try VODCredentials.resolve(ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError("\(error)")
        }
        return VODClient(
            endpoint: endpoint, credentials: credentials, style: signatureVersion == "rpc" ? .rpc : .v3,
            transport: AsyncHTTPClientTransport(endpoint: endpoint, client: httpClient),
            timeout: .seconds(apiTimeout))
    }
}

/// The ledger sink for a command that is not the server: the data directory itself, or the
/// running server's control socket, with every job the ledger knows. Its log is quiet: the
/// command reports what matters.
func openLedgerSink(dataDir: String, label: String, httpClient: HTTPClient) throws -> (sink: any LedgerSink, jobs: JobBook) {
    var logger = Logger(label: label)
    logger.logLevel = .warning
    do {
        return try LedgerSinks.open(dataDir: dataDir, logger: logger, httpClient: httpClient)
    } catch {
        throw CLIError("\(error)")
    }
}

/// Runs `body` with an HTTP client for VOD calls and the control socket, and shuts it down after.
func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
    let client = AsyncHTTPClientTransport.makeHTTPClient()
    do {
        let result = try await body(client)
        try? await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
