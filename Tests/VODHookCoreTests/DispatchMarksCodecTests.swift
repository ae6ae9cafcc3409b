import Testing
import VODHookCore

@Suite("Dispatch marks")
struct DispatchMarksCodecTests {
    static let routes = [
        DispatchBook.Route(name: "a", match: HandlerMatch(eventTypes: ["X", "Y", "Z"]), retry: HandlerSpec.defaultRetry),
        DispatchBook.Route(name: "b", match: HandlerMatch(statuses: ["fail"]), retry: HandlerSpec.defaultRetry),
    ]

    @Test("the start is the lowest mark; a handler without one, or with another match, starts at 1")
    func start() {
        var marks = DispatchMarks(handlers: [
            "a": .init(match: DispatchMarks.fingerprint(Self.routes[0].match), settledBelow: 40),
            "b": .init(match: DispatchMarks.fingerprint(Self.routes[1].match), settledBelow: 25),
        ])
        #expect(marks.start(for: Self.routes) == 25)
        #expect(marks.start(for: [Self.routes[0]]) == 40)
        marks.handlers["b"]?.match = DispatchMarks.fingerprint(HandlerMatch(statuses: ["success"]))
        #expect(marks.start(for: Self.routes) == 1)
        marks.handlers["b"] = nil
        #expect(marks.start(for: Self.routes) == 1)
        marks.version = 2
        #expect(marks.start(for: [Self.routes[0]]) == 1, "a version this build does not know is not used")
    }

    @Test("a match's fingerprint does not depend on set order")
    func fingerprintStable() {
        let one = HandlerMatch(eventTypes: ["A", "B", "C", "D"], statuses: ["x", "y"], mediaPrefix: "m", correlated: true)
        var other = HandlerMatch(eventTypes: ["D", "C"], statuses: ["y", "x"], mediaPrefix: "m", correlated: true)
        other.eventTypes?.formUnion(["B", "A"])
        #expect(DispatchMarks.fingerprint(one) == DispatchMarks.fingerprint(other))
        #expect(DispatchMarks.fingerprint(one) != DispatchMarks.fingerprint(HandlerMatch()))
    }

    @Test("a handler's mark is its lowest open event, its overflow, or the next unread line")
    func marksFromBook() {
        var book = DispatchBook(routes: Self.routes, capacity: 2)
        func event(_ seq: UInt64, _ type: String, _ status: String = "success") -> LedgerEntry {
            LedgerEntry(seq: seq, at: 1, kind: .event, eventType: type, jobId: "j\(seq)", mediaId: "m", status: status)
        }
        #expect(book.marks(nextUnread: 1).handlers.mapValues(\.settledBelow) == ["a": 1, "b": 1])
        book.absorb(event(3, "X"))
        book.absorb(event(4, "Q", "fail"))
        #expect(book.marks(nextUnread: 5).handlers.mapValues(\.settledBelow) == ["a": 3, "b": 4])
        book.absorb(event(5, "Y"))
        book.absorb(event(6, "Z"))  // past the capacity of 2: a's overflow starts here
        #expect(book.lowestOpen(handler: "a") == 3)
        #expect(book.marks(nextUnread: 7).handlers["a"]?.settledBelow == 3)
    }
}
