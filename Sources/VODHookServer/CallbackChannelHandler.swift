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
/// handler did for the router: answers in order, timeouts, backpressure, graceful shutdown. Those
/// rules live in `CallbackConnectionStateMachine`; this class feeds it the channel's events and
/// does what it answers. NIO's `HTTPServerPipelineHandler` would also order answers, but pauses
/// reading during every request: two `epoll_ctl` calls per callback.
final class CallbackChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let intake: CallbackIntake
    private var machine: CallbackConnectionStateMachine
    /// The connection's one timer, set for the machine's next deadline; when it fires early (the
    /// client was heard from since), it is set again. A clock read per event and no timer per
    /// request: NIO's IdleStateHandler would make a promise for every write.
    private var timer: Scheduled<Void>?
    /// `run` is executing actions: an event that arrives meanwhile from inside one of them (a
    /// flush that changes writability) only updates the machine, and the running loop goes on
    /// from there instead of starting a second loop under the first.
    private var running = false

    init(intake: CallbackIntake, idleTimeout: TimeAmount?, requestTimeout: TimeAmount?, maxHeld: Int) {
        self.intake = intake
        machine = CallbackConnectionStateMachine(idleTimeout: idleTimeout, requestTimeout: requestTimeout, maxHeld: maxHeld)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { connected(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        connected(context)
        context.fireChannelActive()
    }

    private func connected(_ context: ChannelHandlerContext) {
        machine.connected(now: context.eventLoop.now)
        setTimer(context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        machine.channelClosed()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        machine.channelClosed()
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        machine.received(unwrapInboundIn(data))
        run(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if machine.readComplete() { context.fireChannelReadComplete() }
    }

    func read(context: ChannelHandlerContext) {
        if machine.readRequested() { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        machine.writabilityChanged(context.channel.isWritable)
        run(context)
        context.fireChannelWritabilityChanged()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data) {
            machine.routerAnswerEnded()
            run(context, readComplete: true)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if machine.decoderFailed(error) { context.fireErrorCaught(error) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            perform(machine.quiesce(), context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Does what the machine says until it waits. `readComplete`: parts it passes to the router
    /// now come outside a read, so they need a read-complete of their own.
    private func run(_ context: ChannelHandlerContext, readComplete: Bool = false) {
        guard !running else { return }
        running = true
        defer { running = false }
        let now = context.eventLoop.now
        while true {
            let action = machine.next(now: now) { head in classify(head) }
            if case .wait = action { break }
            perform(action, context)
        }
        if readComplete { channelReadComplete(context: context) }
        setTimer(context)
    }

    /// Who takes a request, from its head alone, by the rules in force now (one read: a reload
    /// meanwhile applies from the next request).
    private func classify(_ head: HTTPRequestHead) -> CallbackConnectionStateMachine.HeadDecision {
        let rules = intake.rules
        guard rules.owns(target: head.uri) else { return .router }
        guard head.method == .POST else { return .answer(.methodNotAllowed) }
        do {
            try intake.admit(
                timestamp: Self.value(of: "X-VOD-TIMESTAMP", in: head.headers),
                signature: Self.value(of: "X-VOD-SIGNATURE", in: head.headers),
                contentLength: Self.value(of: "Content-Length", in: head.headers), rules: rules)
            return .callback(maxBody: rules.maxBody)
        } catch {
            return .answer(.refused(error))
        }
    }

    private func perform(_ action: CallbackConnectionStateMachine.Action, _ context: ChannelHandlerContext) {
        switch action {
        case .wait:
            break
        case .forward(let part):
            context.fireChannelRead(wrapInboundOut(part))
        case .answer(let head, let answer, let keepAlive):
            write(answer, to: head, keepAlive: keepAlive, context)
        case .record(let head, let body):
            record(context, head: head, body: body.map { Array($0.readableBytesView) } ?? [])
        case .fireError(let error):
            context.fireErrorCaught(error)
        case .read:
            context.read()
        case .close:
            context.close(promise: nil)
        }
    }

    /// Sets the timer for the machine's next deadline, unless one is set already.
    private func setTimer(_ context: ChannelHandlerContext) {
        guard timer == nil, let deadline = machine.deadline else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            perform(machine.timerFired(now: context.eventLoop.now), context)
            run(context, readComplete: true)
        }
    }

    private func record(_ context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8]) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        do {
            try intake.record(body: body) { result in
                eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.recorded(result, context: context)
                }
            }
        } catch {
            perform(machine.recorded(.refused(error), now: context.eventLoop.now), context)
        }
    }

    private func recorded(_ result: Result<LedgerWriter.Outcome, CallbackRefusal>, context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        switch result {
        case .success(let outcome): perform(machine.recorded(.recorded(outcome), now: now), context)
        case .failure(let refusal): perform(machine.recorded(.refused(refusal), now: now), context)
        }
        run(context, readComplete: true)
    }

    /// Writes a whole answer of vodhook's own; closes the connection once it is written unless
    /// `keepAlive`. A refusal is counted and logged here.
    private func write(
        _ answer: CallbackConnectionStateMachine.Answer, to head: HTTPRequestHead, keepAlive: Bool,
        _ context: ChannelHandlerContext
    ) {
        let status: HTTPResponseStatus
        var body: ByteBuffer?
        var allow: String?
        var retryAfter: Int?
        switch answer {
        case .recorded(let outcome):
            status = .ok
            var buffer = context.channel.allocator.buffer(capacity: 48)
            buffer.writeStaticString(#"{"seq":"#)
            buffer.writeString(String(outcome.seq))
            buffer.writeStaticString(outcome.isDuplicate ? ",\"duplicate\":true}\n" : ",\"duplicate\":false}\n")
            body = buffer
        case .refused(let refusal):
            intake.refused(
                refusal, peer: Self.peer(context.channel.remoteAddress),
                forwardedFor: Self.value(of: "X-Forwarded-For", in: head.headers),
                realIP: Self.value(of: "X-Real-IP", in: head.headers))
            status = HTTPResponseStatus(statusCode: refusal.statusCode)
            body = ErrorBody.buffer(code: refusal.code, reason: refusal.reason)
            retryAfter = refusal.retryAfter
        case .methodNotAllowed:
            status = .methodNotAllowed
            allow = "POST"
        }
        var headers = HTTPHeaders()
        if body != nil { headers.add(name: "content-type", value: "application/json") }
        headers.add(name: "content-length", value: String(body?.readableBytes ?? 0))
        if let allow { headers.add(name: "allow", value: allow) }
        if let retryAfter { headers.add(name: "retry-after", value: String(retryAfter)) }
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
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
