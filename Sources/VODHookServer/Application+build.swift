public import Hummingbird
public import Logging
public import NIOCore
public import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Builds the callback server exactly as `vodhook serve` runs it (tests call this too).
///
/// - Parameters:
///   - address: where to listen; a unix socket is made mode 0660 once bound.
///   - callbacks: the callback URL's intake (taken in the channel pipeline, `CallbackChannel`).
///   - health: `/healthz` and `/readyz` on this listener, or nil when they have their own.
///   - services: run with the server and stopped after it drains (the ledger writer goes here,
///     so the last in-flight request is written before the file closes).
///   - idleTimeout: a connection with no request for this long is closed.
///   - maxConnections: at most this many open connections; more wait in the backlog (``ConnectionLimit``).
///   - requestTimeout: a request not read whole this long after its head is answered 408 (a
///     callback still being read) or closed.
///   - onRunning: told the bound address (the real port when 0 was asked for).
public func buildApplication(
    address: BindAddress, callbacks: CallbackIntake, health: HealthRoutes?, services: [any Service] = [],
    idleTimeout: TimeAmount = .seconds(75), maxConnections: Int? = nil, requestTimeout: TimeAmount = .seconds(60),
    logger: Logger, onRunning: @escaping @Sendable (String) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    health?.addRoutes(to: router)
    return Application(
        router: router,
        server: .callbacks(callbacks, idleTimeout: idleTimeout, requestTimeout: requestTimeout),
        configuration: .init(
            address: address, serverName: nil, backlog: 1024,
            availableConnectionsDelegate: maxConnections.map { ConnectionLimit(maximum: $0, listener: "public", logger: logger) }),
        services: services,
        onServerRunning: { channel in await announce(channel, address: address, onRunning: onRunning) },
        logger: logger)
}

/// The separate admin listener (`--admin-listen`): health routes, the dashboard's, and `/metrics`
/// and `/status` when given (never on the public listener), with the same idle timeout and
/// connection cap as the public one.
public func buildAdminApplication(
    address: BindAddress, health: HealthRoutes, dashboard: DashboardRoutes? = nil, metrics: MetricsRoutes? = nil,
    status: StatusRoutes? = nil, idleTimeout: TimeAmount = .seconds(75), maxConnections: Int? = nil,
    logger: Logger, onRunning: @escaping @Sendable (String) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    health.addRoutes(to: router)
    dashboard?.addRoutes(to: router)
    metrics?.addRoutes(to: router)
    status?.addRoutes(to: router)
    return Application(
        router: router, server: .http1(configuration: .init(idleTimeout: idleTimeout)),
        configuration: .init(
            address: address,
            availableConnectionsDelegate: maxConnections.map { ConnectionLimit(maximum: $0, listener: "admin", logger: logger) }),
        onServerRunning: { channel in await announce(channel, address: address, onRunning: onRunning) },
        logger: logger)
}

private func announce(_ channel: any Channel, address: BindAddress, onRunning: @Sendable (String) async -> Void) async {
    guard let local = channel.localAddress else { return }
    if let path = local.pathname {
        // Group-writable so nginx (in vodhook's group) can connect; nobody else.
        chmod(path, 0o660)
        await onRunning("unix:" + path)
    } else if let ip = local.ipAddress, let port = local.port {
        await onRunning(local.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)")
    }
}

/// The control listener on a unix socket: the append route for `submit` and `reconcile`, with
/// the same idle timeout and connection cap as the public listener.
public func buildControlApplication(
    socketPath: String, control: ControlRoutes, idleTimeout: TimeAmount = .seconds(75), maxConnections: Int? = nil,
    logger: Logger
) -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    control.addRoutes(to: router)
    return Application(
        router: router, server: .http1(configuration: .init(idleTimeout: idleTimeout)),
        configuration: .init(
            address: .unixDomainSocket(path: socketPath),
            availableConnectionsDelegate: maxConnections.map { ConnectionLimit(maximum: $0, listener: "control", logger: logger) }
        ),
        logger: logger)
}
