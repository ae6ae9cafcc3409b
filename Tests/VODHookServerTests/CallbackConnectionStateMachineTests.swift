import NIOCore
import NIOHTTP1
import Testing
import VODHook
import VODHookCore
@testable import VODHookServer

/// The connection rules on their own: events in, actions out, time given by the test.
@Suite("Callback connection state machine")
struct CallbackConnectionStateMachineTests {
    typealias Machine = CallbackConnectionStateMachine
    static let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    static func machine(maxHeld: Int = 4) -> Machine {
        var machine = Machine(idleTimeout: .seconds(75), requestTimeout: .seconds(60), maxHeld: maxHeld, maxBody: 16)
        machine.connected(now: t0)
        return machine
    }

    static func head(_ uri: String, method: HTTPMethod = .POST, keepAlive: Bool = true) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        if !keepAlive { head.headers.add(name: "connection", value: "close") }
        return head
    }

    /// `/cb` is a callback, `/refused` is refused from its head (401), anything else the router's.
    static func classify(_ head: HTTPRequestHead) -> Machine.HeadDecision {
        switch head.uri {
        case "/cb": .callback
        case "/refused": .answer(.refused(.unauthenticated(.missingHeader)))
        default: .router
        }
    }

    /// Feeds whole requests: a head, a body when given, an end.
    static func send(_ machine: inout Machine, _ uri: String, body: String? = nil, keepAlive: Bool = true) {
        machine.received(.head(head(uri, keepAlive: keepAlive)))
        if let body { machine.received(.body(ByteBuffer(string: body))) }
        machine.received(.end(nil))
    }

    /// The actions until the machine waits, in words.
    static func run(_ machine: inout Machine, at now: NIODeadline = t0) -> [String] {
        var actions: [String] = []
        while true {
            let action = machine.next(now: now, classify: classify)
            if case .wait = action { return actions }
            actions.append(describe(action))
        }
    }

    static func describe(_ action: Machine.Action) -> String {
        switch action {
        case .wait: "wait"
        case .forward(.head(let head)): "forward \(head.uri)"
        case .forward(.body): "forward body"
        case .forward(.end): "forward end"
        case .answer(_, let answer, let keepAlive):
            switch answer {
            case .recorded: "answer 200" + (keepAlive ? "" : " close")
            case .refused(let refusal): "answer \(refusal.statusCode)" + (keepAlive ? "" : " close")
            case .methodNotAllowed: "answer 405" + (keepAlive ? "" : " close")
            }
        case .record(_, let body): "record \(body?.readableBytes ?? 0)"
        case .fireError: "error"
        case .read: "read"
        case .close: "close"
        }
    }

    struct DecoderFailure: Error {}

    @Test("a request pipelined behind a callback being recorded waits for its answer, and so does reading")
    func heldBehindRecording() {
        var machine = Self.machine()
        Self.send(&machine, "/cb", body: "{}")
        Self.send(&machine, "/health")
        let r1 = Self.run(&machine)
        #expect(r1 == ["record 2"])
        let r2 = machine.readRequested()
        #expect(!r2)
        let r3 = Self.describe(machine.recorded(.recorded(.recorded(seq: 1)), now: Self.t0))
        #expect(r3 == "answer 200")
        let r4 = Self.run(&machine)
        #expect(r4 == ["forward /health", "forward end", "read"])
        let r5 = machine.readComplete()
        #expect(r5)
        let r6 = machine.readRequested()
        #expect(r6)
    }

    @Test("more requests pipelined than the cap: those held are answered in order, the rest dropped unread, then the connection closes")
    func heldCap() {
        var machine = Self.machine(maxHeld: 3)
        Self.send(&machine, "/cb", body: "{}")
        let r7 = Self.run(&machine)
        #expect(r7 == ["record 2"])
        for _ in 0..<6 { Self.send(&machine, "/refused") }
        let r8 = Self.run(&machine)
        #expect(r8.isEmpty)
        let r9 = machine.readRequested()
        #expect(!r9)
        _ = machine.recorded(.recorded(.recorded(seq: 1)), now: Self.t0)
        let r10 = Self.run(&machine)
        #expect(r10 == ["answer 401", "answer 401", "answer 401", "close"])
        #expect(machine.isClosed)
    }

    @Test("reading pauses while the channel is not writable, whatever is held, and resumes once it is")
    func writability() {
        var machine = Self.machine()
        machine.writabilityChanged(false)
        for _ in 0..<3 { Self.send(&machine, "/refused") }
        let r11 = machine.readRequested()
        #expect(!r11)
        let r12 = Self.run(&machine)
        #expect(r12 == ["answer 401", "answer 401", "answer 401"])
        machine.writabilityChanged(true)
        let r13 = Self.run(&machine)
        #expect(r13 == ["read"])
        let r14 = machine.readRequested()
        #expect(r14)
    }

    @Test("a callback whose body arrives a byte at a time, each well within the idle timeout, is answered 408 and closed at the request deadline")
    func dribbledCallback() {
        var machine = Self.machine()
        machine.received(.head(Self.head("/cb")))
        let r15 = Self.run(&machine)
        #expect(r15.isEmpty)
        for second in stride(from: 10, through: 50, by: 10) {
            let now = Self.t0 + .seconds(Int64(second))
            let r16 = Self.describe(machine.timerFired(now: now))
            #expect(r16 == "wait")
            machine.received(.body(ByteBuffer(string: "{")))
            let r17 = Self.run(&machine, at: now)
            #expect(r17.isEmpty)
        }
        #expect(machine.deadline == Self.t0 + .seconds(60))
        let r18 = Self.describe(machine.timerFired(now: Self.t0 + .seconds(60)))
        #expect(r18 == "answer 408 close")
        // The 408 is being written: what arrives now is dropped, nothing is read.
        machine.received(.body(ByteBuffer(string: "}")))
        machine.received(.end(nil))
        let r19 = Self.run(&machine)
        #expect(r19.isEmpty)
        let r20 = machine.readRequested()
        #expect(!r20)
    }

    @Test("a request to another path that dribbles its body is closed at the request deadline: the router may be answering it")
    func dribbledRouterRequest() {
        var machine = Self.machine()
        machine.received(.head(Self.head("/elsewhere")))
        let r21 = Self.run(&machine)
        #expect(r21 == ["forward /elsewhere"])
        machine.received(.body(ByteBuffer(string: "x")))
        let r22 = Self.run(&machine, at: Self.t0 + .seconds(59))
        #expect(r22 == ["forward body"])
        let r23 = Self.describe(machine.timerFired(now: Self.t0 + .seconds(60)))
        #expect(r23 == "close")
        #expect(machine.isClosed)
    }

    @Test("an idle connection closes after the idle timeout; a closed one ignores every event")
    func idleAndClosed() {
        var machine = Self.machine()
        #expect(machine.deadline == Self.t0 + .seconds(75))
        let r24 = Self.describe(machine.timerFired(now: Self.t0 + .seconds(74)))
        #expect(r24 == "wait")
        let r25 = Self.describe(machine.timerFired(now: Self.t0 + .seconds(75)))
        #expect(r25 == "close")
        Self.send(&machine, "/cb", body: "{}")
        let r26 = Self.run(&machine)
        #expect(r26.isEmpty)
        let r27 = machine.readRequested()
        #expect(!r27)
        let r28 = Self.describe(machine.quiesce())
        #expect(r28 == "wait")
        #expect(machine.deadline == nil)
    }

    @Test("graceful shutdown closes an idle connection at once, and one owing an answer right after it")
    func quiesce() {
        var idle = Self.machine()
        let r29 = Self.describe(idle.quiesce())
        #expect(r29 == "close")
        var busy = Self.machine()
        Self.send(&busy, "/cb", body: "{}")
        let r30 = Self.run(&busy)
        #expect(r30 == ["record 2"])
        let r31 = Self.describe(busy.quiesce())
        #expect(r31 == "wait")
        let r32 = Self.describe(busy.recorded(.recorded(.recorded(seq: 1)), now: Self.t0))
        #expect(r32 == "answer 200 close")
    }

    @Test("a decoder error behind an owed answer waits for it; a body over the limit is refused 413 and the connection goes on")
    func decoderErrorAndTooLarge() {
        var machine = Self.machine()
        Self.send(&machine, "/cb", body: "{}")
        let r33 = Self.run(&machine)
        #expect(r33 == ["record 2"])
        let r34 = machine.decoderFailed(DecoderFailure())
        #expect(!r34)
        _ = machine.recorded(.refused(.tooLarge), now: Self.t0)
        let r35 = Self.run(&machine)
        #expect(r35 == ["error"])
        var large = Self.machine()
        Self.send(&large, "/cb", body: String(repeating: "x", count: 17))
        Self.send(&large, "/health")
        let r36 = Self.run(&large)
        #expect(r36 == ["answer 413", "forward /health", "forward end"])
    }
}
