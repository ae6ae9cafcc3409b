import NIOCore
import NIOHTTP1
import VODHook

/// The connection logic of `CallbackChannelHandler`, as a value that takes events and returns
/// what to do: which request part is taken when, who answers it, when reading pauses and
/// resumes, when the connection ends. No I/O and no clock of its own (every event that needs the
/// time is given it), so it is tested directly and behind `EmbeddedChannel`, without sockets.
///
/// Rules it keeps:
/// - Answers go out in request order: parts of a request pipelined behind one not yet answered
///   are held, at most `maxHeld` requests; a connection that pipelines more is closed once the
///   answers owed are written (what is beyond the cap is dropped unread).
/// - Reading pauses while requests are held and while the channel is not writable (a client that
///   does not read its answers stops being read), and resumes when both clear.
/// - A connection that waits on its client for `idleTimeout` (no request, or a body stalled), or a
///   request that is not read whole within `requestTimeout` of its head, ends: a callback still
///   being read is answered 408 first; anything else, already answered or with the router, closes.
/// - Bytes the HTTP decoder cannot read are passed on (the router answers 400 and closes) only
///   after the answers owed before them.
/// - On graceful shutdown the connection closes once the answer it owes is written.
struct CallbackConnectionStateMachine {
    /// How vodhook answers a callback request itself.
    enum Answer {
        case recorded(LedgerWriter.Outcome)
        case refused(CallbackRefusal)
        case methodNotAllowed
    }

    /// What the head of a new request says about who takes it (decided by `CallbackIntake`).
    enum HeadDecision {
        /// Not a callback path: the router answers.
        case router
        /// A callback whose head was admitted: its body is collected, up to `maxBody` bytes.
        case callback(maxBody: Int)
        /// Answered at once; the rest of the request is dropped.
        case answer(Answer)
    }

    /// What the handler does next.
    enum Action {
        /// Nothing more now: wait for the next event.
        case wait
        /// Pass a part on to the router.
        case forward(HTTPServerRequestPart)
        /// Write this whole answer; close the connection once it is written unless `keepAlive`.
        case answer(HTTPRequestHead, Answer, keepAlive: Bool)
        /// Hand a whole callback body to the ledger; tell `recorded` its answer.
        case record(HTTPRequestHead, ByteBuffer?)
        /// Pass the HTTP decoder's error on to the router (it answers 400 and closes).
        case fireError(any Error)
        /// Ask the channel for more bytes.
        case read
        /// Close the connection now.
        case close
    }

    /// Who is taking the current request.
    private enum Route {
        /// The router: parts are forwarded and its answer passes back through `write`.
        case router
        /// A callback whose head was admitted: its body is being collected.
        case reading(HTTPRequestHead, ByteBuffer?)
        /// Answered before its end was read: the rest of it is dropped.
        case answered
        /// Its line is with the ledger: the answer comes when it is durable.
        case recording(HTTPRequestHead)
    }

    private struct Request {
        var route: Route
        /// Its end has not been read yet.
        var requestOpen = true
        /// Its answer is not complete yet.
        var responseOpen = true
        /// When its head was taken: the whole-request deadline runs from here.
        let started: NIODeadline
    }

    private enum State {
        /// Between requests.
        case idle
        case busy(Request)
        /// The last answer is being written, the connection closes after it: input is dropped.
        /// A client that does not read it is closed on anyway after the idle timeout.
        case closing(since: NIODeadline)
        /// Closed (by either side): every event is ignored.
        case closed
    }

    let idleTimeout: TimeAmount?
    let requestTimeout: TimeAmount?
    let maxHeld: Int
    /// The body limit of the callback being read, as the rules said at its head.
    private var maxBody = 0

    private var state = State.idle
    /// Parts read behind the current request, in order.
    private var held = CircularBuffer<HTTPServerRequestPart>()
    /// How many request heads are in `held`.
    private var heldRequests = 0
    /// More than `maxHeld` requests were pipelined: nothing more is read or taken, and the
    /// connection closes once the held ones are answered.
    private var overflowed = false
    /// The channel asked to read while reading was paused.
    private var readPending = false
    private var writable = true
    /// Graceful shutdown asked: close once the current answer is written.
    private var quiescing = false
    /// The HTTP decoder failed on bytes behind requests not answered yet.
    private var heldError: (any Error)?
    /// Since when the connection waits on its client (between requests, or for a request's
    /// parts); nil while vodhook or the router works on a request.
    private var quietSince: NIODeadline?
    /// Parts went to the router since its last read-complete.
    private var routerReadsPending = false

    init(idleTimeout: TimeAmount?, requestTimeout: TimeAmount?, maxHeld: Int) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxHeld = maxHeld
    }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    // MARK: - Events

    /// The connection is up: the idle timeout runs from now.
    mutating func connected(now: NIODeadline) {
        if case .idle = state, quietSince == nil { quietSince = now }
    }

    /// A part from the HTTP decoder: queued, to be taken by `next` in its turn.
    mutating func received(_ part: HTTPServerRequestPart) {
        switch state {
        case .closing, .closed: return
        case .idle, .busy: break
        }
        guard !overflowed else { return }
        if case .head = part {
            guard heldRequests < maxHeld else {
                overflowed = true
                return
            }
            heldRequests += 1
        }
        held.append(part)
    }

    /// The channel asks for more bytes: true to pass the read on now, else it waits until the held
    /// requests are taken and the channel is writable again.
    mutating func readRequested() -> Bool {
        switch state {
        case .closing, .closed: return false
        case .idle, .busy: break
        }
        if held.isEmpty, writable, !overflowed { return true }
        readPending = true
        return false
    }

    mutating func writabilityChanged(_ isWritable: Bool) {
        writable = isWritable
    }

    /// Whether a read-complete must be passed on: only when parts went to the router since the
    /// last (the async channel the router reads hands on what it got at read-complete).
    mutating func readComplete() -> Bool {
        defer { routerReadsPending = false }
        return routerReadsPending
    }

    /// The router wrote the end of its answer.
    mutating func routerAnswerEnded() {
        guard case .busy(var request) = state, case .router = request.route else { return }
        request.responseOpen = false
        state = .busy(request)
    }

    /// The ledger's verdict on the callback being recorded.
    mutating func recorded(_ answer: Answer, now: NIODeadline) -> Action {
        guard case .busy(var request) = state, case .recording(let head) = request.route else { return .wait }
        request.route = .answered
        state = .busy(request)
        return self.answer(head, answer, now: now)
    }

    /// The HTTP decoder failed: true to pass the error on now (nothing owed before it).
    mutating func decoderFailed(_ error: any Error) -> Bool {
        if held.isEmpty, !isRecording { return true }
        heldError = error
        return false
    }

    /// Graceful shutdown: the connection closes now if it owes no answer, else after it.
    mutating func quiesce() -> Action {
        quiescing = true
        switch state {
        case .idle:
            return close()
        case .busy(let request) where !request.responseOpen:
            // Already answered: the rest of a refused body does not matter.
            return close()
        case .busy, .closing, .closed:
            return .wait
        }
    }

    mutating func channelClosed() {
        state = .closed
        held.removeAll()
        heldRequests = 0
        heldError = nil
    }

    /// When the next timeout may fall due, if any runs.
    var deadline: NIODeadline? {
        switch state {
        case .closed: return nil
        case .closing(let since): return idleTimeout.map { since + $0 }
        case .idle, .busy: break
        }
        var due = idleTimeout.flatMap { timeout in quietSince.map { $0 + timeout } }
        if let requestTimeout, case .busy(let request) = state, request.requestOpen {
            due = min(due ?? .distantFuture, request.started + requestTimeout)
        }
        return due
    }

    /// The timer set for `deadline` fired at `now`.
    mutating func timerFired(now: NIODeadline) -> Action {
        if case .closing(let since) = state, let idleTimeout, now >= since + idleTimeout {
            return close()
        }
        if let requestTimeout, case .busy(let request) = state, request.requestOpen, now >= request.started + requestTimeout {
            return expire(.requestTimeout, now: now)
        }
        if let idleTimeout, let quietSince, now >= quietSince + idleTimeout {
            return expire(.bodyTimeout, now: now)
        }
        return .wait
    }

    /// The next thing to do with what has been received; called until it answers `.wait`.
    /// `classify` decides who takes a request from its head, when its turn comes.
    mutating func next(now: NIODeadline, classify: (HTTPRequestHead) -> HeadDecision) -> Action {
        while true {
            switch state {
            case .closing, .closed:
                return .wait
            case .idle:
                if let part = held.popFirst() {
                    if let action = start(part, now: now, classify: classify) { return action }
                    continue
                }
            case .busy(let request) where !request.requestOpen && !request.responseOpen:
                // Read and answered: the next request may go.
                state = .idle
                quietSince = now
                if quiescing { return close() }
                continue
            case .busy:
                // Not bound here: a copy of the request would keep its body buffer shared, and
                // appending the next chunk to it would copy the whole buffer.
                if isReading, let part = held.popFirst() {
                    if let action = take(part, now: now) { return action }
                    continue
                }
            // Else read whole, its answer still to come: what is held waits.
            }
            // Nothing to take now.
            if held.isEmpty, !isRecording, let error = heldError {
                heldError = nil
                return .fireError(error)
            }
            if overflowed, held.isEmpty, case .idle = state {
                return close()
            }
            if readPending, held.isEmpty, writable, !overflowed {
                readPending = false
                return .read
            }
            return .wait
        }
    }

    // MARK: - Steps

    /// The current request's end has not been read yet.
    private var isReading: Bool {
        if case .busy(let request) = state { return request.requestOpen }
        return false
    }

    private var isRecording: Bool {
        if case .busy(let request) = state, case .recording = request.route { return true }
        return false
    }

    /// The head of the next request; nil when there is nothing to do for it yet.
    private mutating func start(_ part: HTTPServerRequestPart, now: NIODeadline, classify: (HTTPRequestHead) -> HeadDecision)
        -> Action?
    {
        guard case .head(let head) = part else { return close() }  // the HTTP decoder never delivers these
        heldRequests -= 1
        quietSince = now  // for its body, if it has one
        switch classify(head) {
        case .router:
            state = .busy(Request(route: .router, started: now))
            routerReadsPending = true
            return .forward(part)
        case .callback(let limit):
            maxBody = limit
            state = .busy(Request(route: .reading(head, nil), started: now))
            return nil
        case .answer(let answer):
            state = .busy(Request(route: .answered, started: now))
            return self.answer(head, answer, now: now)
        }
    }

    /// A body part or the end of the current request; nil when there is nothing to do for it.
    private mutating func take(_ part: HTTPServerRequestPart, now: NIODeadline) -> Action? {
        guard case .busy(var request) = state else { return close() }
        switch (request.route, part) {
        case (.router, .end):
            request.requestOpen = false
            quietSince = nil
            state = .busy(request)
            routerReadsPending = true
            return .forward(part)
        case (.router, _):
            quietSince = now
            routerReadsPending = true
            return .forward(part)

        case (.reading(let head, var body), .body(var chunk)):
            quietSince = now
            // Out of the state first, so appending does not copy the buffer.
            request.route = .answered
            state = .idle
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxBody {
                state = .busy(request)
                return answer(head, .refused(.tooLarge), now: now)
            }
            if body == nil {
                body = chunk
            } else {
                body?.writeBuffer(&chunk)
            }
            request.route = .reading(head, body)
            state = .busy(request)
            return nil
        case (.reading(let head, let body), .end):
            request.requestOpen = false
            request.route = .recording(head)
            quietSince = nil
            state = .busy(request)
            return .record(head, body)

        case (.answered, .end):
            request.requestOpen = false
            state = .busy(request)
            return nil
        case (.answered, _):
            quietSince = now
            return nil

        case (.reading, .head), (.recording, _):
            return close()  // the HTTP decoder never delivers these
        }
    }

    /// An answer of vodhook's own to the current request.
    private mutating func answer(_ head: HTTPRequestHead, _ answer: Answer, now: NIODeadline, forceClose: Bool = false) -> Action
    {
        guard case .busy(var request) = state else { return .wait }
        let keepAlive = head.isKeepAlive && !quiescing && !forceClose
        if keepAlive {
            request.responseOpen = false
            state = .busy(request)
        } else {
            state = .closing(since: now)
            held.removeAll()
            heldRequests = 0
        }
        return .answer(head, answer, keepAlive: keepAlive)
    }

    /// A timeout fell due: a callback still being read is answered 408 (its framing is lost, so
    /// the connection closes after it); anything else just closes.
    private mutating func expire(_ refusal: CallbackRefusal, now: NIODeadline) -> Action {
        switch state {
        case .busy(var request):
            if case .reading(let head, _) = request.route {
                request.route = .answered
                state = .busy(request)
                return answer(head, .refused(refusal), now: now, forceClose: true)
            }
            // Already answered, or with the router (which may be answering already, so no 408
            // can be put in front of it), or idle.
            return close()
        case .idle:
            return close()
        case .closing, .closed:
            return .wait
        }
    }

    private mutating func close() -> Action {
        channelClosed()
        return .close
    }
}
