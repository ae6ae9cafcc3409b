public import HummingbirdCore
public import Logging
public import NIOCore
import NIOHTTP1
public import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel with callbacks taken in the pipeline.
///
/// `HTTP1Channel`'s pipeline is NIO's HTTP codec, the conversion to HTTPTypes, Hummingbird's
/// connection handler (idle timeout, graceful shutdown) and the async channel its router reads.
/// Here `CallbackChannelHandler` sits between the codec and the conversion, takes callbacks
/// there, and does the connection handler's work for every request, since it sees them all.
struct CallbackChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let intake: CallbackIntake
    let idleTimeout: TimeAmount?
    let requestTimeout: TimeAmount?
    /// Requests a connection may pipeline behind one not yet answered. Reading pauses while any
    /// are held, so this bounds how many heads one read can leave waiting; clients that pipeline
    /// at all send a few.
    static let maxHeldRequests = 64

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // The header limits Hummingbird's own HTTP/1 channel applies by default.
            let defaults = HTTP1Channel.Configuration.DecoderConfiguration()
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = defaults.maxHeaderFieldSize
            limits.maxHeaderListSize = defaults.maxHeaderListSize
            limits.maxHeaderFieldCount = defaults.maxHeaderFieldCount
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // CallbackChannelHandler keeps answers in order
                withErrorHandling: false,  // Hummingbird answers parse errors (handleHTTP)
                withOutboundHeaderValidation: false,  // HTTPTypes validates the router's; ours are fixed
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: limits)
            try pipeline.addHandler(
                CallbackChannelHandler(
                    intake: intake, idleTimeout: idleTimeout, requestTimeout: requestTimeout, maxHeld: Self.maxHeldRequests))
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with callbacks taken in the pipeline (`CallbackChannel`).
    static func callbacks(_ intake: CallbackIntake, idleTimeout: TimeAmount?, requestTimeout: TimeAmount?) -> HTTPServerBuilder {
        .init { responder in
            CallbackChannel(responder: responder, intake: intake, idleTimeout: idleTimeout, requestTimeout: requestTimeout)
        }
    }
}
