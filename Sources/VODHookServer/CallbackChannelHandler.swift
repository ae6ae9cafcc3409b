import NIOCore
import NIOHTTP1
import VODHook
import VODHookCore

/// Takes callback requests on the event loop, right behind NIO's HTTP decoder; every other
/// request (health, 404) passes on to Hummingbird's router.
///
/// Why not a router closure: a request that reaches a Hummingbird route is converted to
/// HTTPTypes and crosses from the event loop into Swift concurrency and back, through async
/// sequences. Here the signature and body are checked as the parts arrive, the line goes to the
/// ledger thread, and the ledger's completion is the one hop back to the event loop. That
/// halves the server's CPU per callback (bench/ingest; README, Benchmarks).
///
/// Since it sees every request and every answer, it also does what Hummingbird's connection
/// handler did for the router: answers keep their order (a request pipelined behind another is
/// held, and reading paused, until the answer before it is complete), an idle connection is
/// closed after the idle timeout (and a callback whose body stops arriving for as long is
/// answered 408 and closed; any other request's, closed), bytes the HTTP decoder cannot read
/// are answered 400 by the router only after the answers owed before them, and on graceful
/// shutdown a connection closes once its current answer is written. NIO's `HTTPServerPipelineHandler` would also order answers, but pauses
/// reading during every request: two `epoll_ctl` calls per callback.
final class CallbackChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Who is taking the current request.
    private enum Route {
        /// The router: parts are forwarded and its answer passes back through `write`.
        case router
        /// A callback whose head was admitted: its body is being collected.
        case reading(HTTPRequestHead, ByteBuffer?)
        /// Answered before its body was read (refused): the rest of it is dropped.
        case answered
        /// Its line is with the ledger: the answer comes when it is durable.
        case recording
    }

    private let intake: CallbackIntake
    /// nil between requests.
    private var route: Route?
    /// The current request's end has not been read yet.
    private var requestOpen = false
    /// The current request's answer is not complete yet.
    private var responseOpen = false
    /// Parts of requests pipelined behind the current one.
    private var held = CircularBuffer<HTTPServerRequestPart>()
    private var readPending = false
    /// Parts went to the router since the last read-complete was passed on.
    private var routerReadsPending = false
    private var draining = false
    /// Graceful shutdown asked: close once the current answer is written.
    private var quiescing = false
    /// The current answer ends the connection (a stalled body: its framing is lost).
    private var closeAfterAnswer = false
    /// The HTTP decoder failed on bytes behind a request not answered yet: passed on (the
    /// router answers 400 and closes) once the answers before it are written.
    private var heldError: (any Error)?
    /// Close a connection that has sent nothing for this long while it was its turn: no request,
    /// or a callback's body stalled.
    private let idleTimeout: TimeAmount?
    /// Since when the connection is waiting on its client (idle, or a request's body being
    /// read); nil while vodhook or the router is working on a request. A clock read or two per
    /// request and one timer per connection that re-arms itself: NIO's IdleStateHandler would
    /// make a promise for every write.
    private var quietSince: NIODeadline?
    private var idleCheck: Scheduled<Void>?

    init(intake: CallbackIntake, idleTimeout: TimeAmount?) {
        self.intake = intake
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { waitForClient(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        waitForClient(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        idleCheck = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if !held.isEmpty || (route != nil && !requestOpen) {
            held.append(part)
        } else {
            take(part, context: context)
        }
    }

    /// Passed on only when parts went to the router since the last one: the async channel the
    /// router reads hands on what it was given at read-complete, and has nothing to do otherwise.
    func channelReadComplete(context: ChannelHandlerContext) {
        guard routerReadsPending else { return }
        routerReadsPending = false
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if held.isEmpty {
            context.read()
        } else {
            readPending = true
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data), case .router = route {
            responseOpen = false
            settle(context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if recordingCallback || !held.isEmpty {
            heldError = error
        } else {
            context.fireErrorCaught(error)
        }
    }

    /// A callback's answer is still to come from the ledger: nothing may be written before it.
    private var recordingCallback: Bool {
        if case .recording = route { return true }
        return false
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            quiescing = true
            // Idle, or already answered (the rest of a refused body does not matter): close now.
            if route == nil || !responseOpen { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func forward(_ part: HTTPServerRequestPart, _ context: ChannelHandlerContext) {
        routerReadsPending = true
        context.fireChannelRead(wrapInboundOut(part))
    }

    private func take(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch (route, part) {
        case (nil, .head(let head)):
            quietSince = nil
            requestOpen = true
            responseOpen = true
            guard intake.owns(target: head.uri) else {
                route = .router
                waitForClient(context)  // for its body, if it has one; its end hands it to the router
                forward(part, context)
                return
            }
            route = .answered
            waitForClient(context)
            guard head.method == .POST else {
                answer(context, head: head, status: .methodNotAllowed, body: nil, extra: ("allow", "POST"))
                return
            }
            do {
                try intake.admit(
                    timestamp: Self.value(of: "X-VOD-TIMESTAMP", in: head.headers),
                    signature: Self.value(of: "X-VOD-SIGNATURE", in: head.headers),
                    contentLength: Self.value(of: "Content-Length", in: head.headers))
                route = .reading(head, nil)
            } catch {
                refuse(context, head: head, error)
            }

        case (.router, .end):
            requestOpen = false
            quietSince = nil
            forward(part, context)
            settle(context)
        case (.router, _):
            waitForClient(context)
            forward(part, context)

        case (.reading(let head, var body), .body(var chunk)):
            waitForClient(context)
            if (body?.readableBytes ?? 0) + chunk.readableBytes > intake.maxBody {
                route = .answered
                refuse(context, head: head, .tooLarge)
            } else if body == nil {
                route = .reading(head, chunk)
            } else {
                route = .answered  // drop the stored reference, so appending does not copy the buffer
                body?.writeBuffer(&chunk)
                route = .reading(head, body)
            }
        case (.reading(let head, let body), .end):
            requestOpen = false
            quietSince = nil
            route = .recording
            record(context, head: head, body: body.map { Array($0.readableBytesView) } ?? [])

        case (.answered, .end):
            requestOpen = false
            settle(context)
        case (.answered, _):
            waitForClient(context)

        case (nil, _), (.reading, .head), (.recording, _):
            // The HTTP decoder never delivers these.
            context.close(promise: nil)
        }
    }

    /// Once a request is read and answered: takes the held parts, up to the next request that
    /// must wait for its answer, and resumes reading when none are left.
    private func settle(_ context: ChannelHandlerContext) {
        guard !requestOpen, !responseOpen else { return }
        route = nil
        if quiescing {
            context.close(promise: nil)
            return
        }
        waitForClient(context)
        guard !draining else { return }  // a held request just finished: the loop below goes on
        draining = true
        defer { draining = false }
        var tookHeld = false
        while route == nil || requestOpen, let part = held.popFirst() {
            take(part, context: context)
            tookHeld = true
        }
        // Held parts come after their read's read-complete: any that went to the router need another.
        if tookHeld { channelReadComplete(context: context) }
        if held.isEmpty, !recordingCallback, let error = heldError {
            heldError = nil
            context.fireErrorCaught(error)
        }
        if held.isEmpty, readPending {
            readPending = false
            context.read()
        }
    }

    /// The connection waits on its client from now (between requests, or for the rest of a
    /// callback's body): the idle timeout runs from here.
    private func waitForClient(_ context: ChannelHandlerContext) {
        guard let idleTimeout else { return }
        let now = NIODeadline.now()
        quietSince = now
        if idleCheck == nil { armIdleCheck(context, at: now + idleTimeout) }
    }

    /// At `deadline`: if the client has been quiet for the whole timeout, closes the connection
    /// (answering 408 first when a callback's body stalled); else checks again later.
    private func armIdleCheck(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        guard let idleTimeout else { return }
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            idleCheck = nil
            let now = NIODeadline.now()
            guard let since = quietSince, now >= since + idleTimeout else {
                armIdleCheck(context, at: (quietSince ?? now) + idleTimeout)
                return
            }
            if case .reading(let head, _) = route {
                route = .answered
                closeAfterAnswer = true
                refuse(context, head: head, .bodyTimeout)
            } else {
                // Idle, or a body stalled on its way to the router (which may be answering
                // already, so no 408 can be put in front): the connection just ends.
                context.close(promise: nil)
            }
        }
    }

    private func record(_ context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8]) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        do {
            try intake.record(body: body) { result in
                eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.recorded(result, context: context, head: head)
                }
            }
        } catch {
            refuse(context, head: head, error)
        }
    }

    private func recorded(_ result: Result<LedgerWriter.Outcome, CallbackRefusal>, context: ChannelHandlerContext, head: HTTPRequestHead) {
        switch result {
        case .success(let outcome):
            var body = context.channel.allocator.buffer(capacity: 48)
            body.writeStaticString(#"{"seq":"#)
            body.writeString(String(outcome.seq))
            body.writeStaticString(outcome.isDuplicate ? ",\"duplicate\":true}\n" : ",\"duplicate\":false}\n")
            answer(context, head: head, status: .ok, body: body)
        case .failure(let refusal):
            refuse(context, head: head, refusal)
        }
    }

    private func refuse(_ context: ChannelHandlerContext, head: HTTPRequestHead, _ refusal: CallbackRefusal) {
        intake.refused(
            refusal, peer: Self.peer(context.channel.remoteAddress), forwardedFor: Self.value(of: "X-Forwarded-For", in: head.headers),
            realIP: Self.value(of: "X-Real-IP", in: head.headers))
        answer(
            context, head: head, status: HTTPResponseStatus(statusCode: refusal.statusCode),
            body: ErrorBody.buffer(code: refusal.code, reason: refusal.reason))
    }

    /// Writes a whole answer to the current request, then takes what was held behind it; or
    /// closes the connection after it, when the request asked to (or HTTP/1.0 did by default).
    private func answer(
        _ context: ChannelHandlerContext, head: HTTPRequestHead, status: HTTPResponseStatus, body: ByteBuffer?,
        extra: (String, String)? = nil
    ) {
        var headers = HTTPHeaders()
        if body != nil { headers.add(name: "content-type", value: "application/json") }
        headers.add(name: "content-length", value: String(body?.readableBytes ?? 0))
        if let extra { headers.add(name: extra.0, value: extra.1) }
        let keepAlive = head.isKeepAlive && !quiescing && !closeAfterAnswer
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            responseOpen = false
            settle(context)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Every value of a header, in order, joined by ", " as HTTP reads a repeated field.
    static func value(of name: String, in headers: HTTPHeaders) -> String? {
        let values = headers[name]
        switch values.count {
        case 0: return nil
        case 1: return values[0]
        default: return values.joined(separator: ", ")
        }
    }

    /// A unix socket's client has no name of its own (nor, sometimes, a `remoteAddress`).
    private static func peer(_ address: SocketAddress?) -> PeerAddress {
        guard let address, let ip = address.ipAddress, let port = address.port else { return .unix }
        return .ip(ip, port: port)
    }
}
