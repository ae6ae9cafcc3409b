public import Hummingbird
public import NIOCore

/// The request context of vodhook's routes: Hummingbird's core storage plus the peer address,
/// which rejected requests are logged with.
public struct CallbackRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer (nil on a unix socket, where the proxy in front is the peer).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
