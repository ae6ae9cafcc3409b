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

    /// One connection's machine, driven by hand; a class so that `#expect` can call its mutating steps.
    final class Driver {
        var machine: Machine

        init(maxHeld: Int = 4) {
            machine = Machine(idleTimeout: .seconds(75), requestTimeout: .seconds(60), maxHeld: maxHeld)
            machine.connected(now: CallbackConnectionStateMachineTests.t0)
        }

        /// Whole requests: a head, a body when given, an end.
        func send(_ uri: String, body: String? = nil) {
            machine.received(.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: uri)))
            if let body { machine.received(.body(ByteBuffer(string: body))) }
            machine.received(.end(nil))
        }

        func receive(_ part: HTTPServerRequestPart) { machine.received(part) }

        /// The actions until the machine waits, in words.
        func run(at seconds: Int64 = 0) -> [String] {
            var actions: [String] = []
            while true {
                let action = machine.next(now: t0 + .seconds(seconds), classify: Driver.classify)
                if case .wait = action { return actions }
                actions.append(Driver.describe(action))
            }
        }

        func timer(at seconds: Int64) -> String { Driver.describe(machine.timerFired(now: t0 + .seconds(seconds))) }
        func recorded(_ answer: Machine.Answer) -> String { Driver.describe(machine.recorded(answer, now: t0)) }
        func quiesce() -> String { Driver.describe(machine.quiesce()) }
        func readRequested() -> Bool { machine.readRequested() }
        func readComplete() -> Bool { machine.readComplete() }
        func decoderFailed() -> Bool { machine.decoderFailed(DecoderFailure()) }
        func writable(_ writable: Bool) { machine.writabilityChanged(writable) }
        var deadline: NIODeadline? { machine.deadline }
        var isClosed: Bool { machine.isClosed }

        /// `/cb` is a callback, `/refused` is refused from its head (401), anything else the router's.
        static func classify(_ head: HTTPRequestHead) -> Machine.HeadDecision {
            switch head.uri {
            case "/cb": .callback(maxBody: 16)
            case "/refused": .answer(.refused(.unauthenticated(.missingHeader)))
            default: .router
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
    }

    struct DecoderFailure: Error {}

    @Test("a request pipelined behind a callback being recorded waits for its answer, and so does reading")
    func heldBehindRecording() {
        let connection = Driver()
        connection.send("/cb", body: "{}")
        connection.send("/health")
        #expect(connection.run() == ["record 2"])
        #expect(!connection.readRequested())
        #expect(connection.recorded(.recorded(.recorded(seq: 1))) == "answer 200")
        #expect(connection.run() == ["forward /health", "forward end", "read"])
        #expect(connection.readComplete())
        #expect(connection.readRequested())
    }

    @Test(
        "more requests pipelined than the cap: those held are answered in order, the rest dropped unread, then the connection closes"
    )
    func heldCap() {
        let connection = Driver(maxHeld: 3)
        connection.send("/cb", body: "{}")
        #expect(connection.run() == ["record 2"])
        for _ in 0..<6 { connection.send("/refused") }
        #expect(connection.run().isEmpty)
        #expect(!connection.readRequested())
        _ = connection.recorded(.recorded(.recorded(seq: 1)))
        #expect(connection.run() == ["answer 401", "answer 401", "answer 401", "close"])
        #expect(connection.isClosed)
    }

    @Test("reading pauses while the channel is not writable, whatever is held, and resumes once it is")
    func writability() {
        let connection = Driver()
        connection.writable(false)
        for _ in 0..<3 { connection.send("/refused") }
        #expect(!connection.readRequested())
        #expect(connection.run() == ["answer 401", "answer 401", "answer 401"])
        connection.writable(true)
        #expect(connection.run() == ["read"])
        #expect(connection.readRequested())
    }

    @Test(
        "a callback whose body arrives a byte at a time, each well within the idle timeout, is answered 408 and closed at the request deadline"
    )
    func dribbledCallback() {
        let connection = Driver()
        connection.receive(.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/cb")))
        #expect(connection.run().isEmpty)
        for second in stride(from: Int64(10), through: 50, by: 10) {
            #expect(connection.timer(at: second) == "wait")
            connection.receive(.body(ByteBuffer(string: "{")))
            #expect(connection.run(at: second).isEmpty)
        }
        #expect(connection.deadline == Self.t0 + .seconds(60))
        #expect(connection.timer(at: 60) == "answer 408 close")
        // The 408 is being written: what arrives now is dropped, nothing is read.
        connection.receive(.body(ByteBuffer(string: "}")))
        connection.receive(.end(nil))
        #expect(connection.run().isEmpty)
        #expect(!connection.readRequested())
        // A client that does not read the 408 either is closed on after the idle timeout.
        #expect(connection.timer(at: 60 + 75) == "close")
    }

    @Test("a request to another path that dribbles its body is closed at the request deadline: the router may be answering it")
    func dribbledRouterRequest() {
        let connection = Driver()
        connection.receive(.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/elsewhere")))
        #expect(connection.run() == ["forward /elsewhere"])
        connection.receive(.body(ByteBuffer(string: "x")))
        #expect(connection.run(at: 59) == ["forward body"])
        #expect(connection.timer(at: 60) == "close")
        #expect(connection.isClosed)
    }

    @Test("an idle connection closes after the idle timeout; a closed one ignores every event")
    func idleAndClosed() {
        let connection = Driver()
        #expect(connection.deadline == Self.t0 + .seconds(75))
        #expect(connection.timer(at: 74) == "wait")
        #expect(connection.timer(at: 75) == "close")
        connection.send("/cb", body: "{}")
        #expect(connection.run().isEmpty)
        #expect(!connection.readRequested())
        #expect(connection.quiesce() == "wait")
        #expect(connection.deadline == nil)
    }

    @Test("graceful shutdown closes an idle connection at once, and one owing an answer right after it")
    func quiesce() {
        #expect(Driver().quiesce() == "close")
        let busy = Driver()
        busy.send("/cb", body: "{}")
        #expect(busy.run() == ["record 2"])
        #expect(busy.quiesce() == "wait")
        #expect(busy.recorded(.recorded(.recorded(seq: 1))) == "answer 200 close")
    }

    @Test("a decoder error behind an owed answer waits for it; a body over the limit is refused 413 and the connection goes on")
    func decoderErrorAndTooLarge() {
        let connection = Driver()
        connection.send("/cb", body: "{}")
        #expect(connection.run() == ["record 2"])
        #expect(!connection.decoderFailed())
        _ = connection.recorded(.refused(.tooLarge))
        #expect(connection.run() == ["error"])
        let large = Driver()
        large.send("/cb", body: String(repeating: "x", count: 17))
        large.send("/health")
        #expect(large.run() == ["answer 413", "forward /health", "forward end"])
    }
}
