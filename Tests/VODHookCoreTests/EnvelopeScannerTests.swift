import Foundation
import Testing

@testable import VODHookCore

/// `EventParser.envelope(of:)` reads members with a hand-written scanner; Foundation's
/// `JSONDecoder`, which it replaced, is the oracle. Every body must get the same answer from
/// both: the same rejection, or the same envelope, field for field.
@Suite struct EnvelopeScannerTests {
    static func oracle(_ body: [UInt8]) -> Result<EventEnvelope, EventRejection> {
        EnvelopeOracle.envelope(of: body)
    }

    static func scanned(_ body: [UInt8]) -> Result<EventEnvelope, EventRejection> {
        Result { () throws(EventRejection) in try EventParser.envelope(of: body) }
    }

    private func agree(_ body: [UInt8], _ comment: @autoclosure () -> String = "") {
        let expected = Self.oracle(body)
        let actual = Self.scanned(body)
        #expect(actual == expected, "\(comment()) body: \(String(decoding: body, as: UTF8.self).debugDescription)")
    }

    @Test("every fixture reads the same as with JSONDecoder")
    func fixtures() throws {
        let directory = try EventFixtures.fixtureDirectory()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 7)
        for name in names {
            let body = try EventFixtures.sample(name)
            agree(body, name)
            // And with the envelope the scanner found matching the full parse's.
            if case .success(let envelope) = Self.scanned(body) {
                #expect(try EventParser.parse(body).envelope == envelope, "\(name)")
            }
        }
        let vectors = try #require(
            Bundle.module.url(forResource: "signing-vectors", withExtension: "json", subdirectory: "Fixtures"))
        agree(Array(try Data(contentsOf: vectors)), "signing-vectors.json")
    }

    @Test(
        "hand-picked cases",
        arguments: [
            #"{"EventType":"a","JobId":"j","MediaId":"m","VideoId":"v","Status":"s","EventTime":"t"}"#,
            #"{"EventType":"a","EventType":"b"}"#,  // first wins
            #"{"EventType":1,"EventType":"b"}"#,  // first wins even when not a string
            #"{"EventType":"a","JobId":null,"JobId":"j"}"#,
            #"{"Event\u0054ype":"x","\u004aobId":"j\u00e9"}"#,  // escaped names and values
            #"{"EventType":"\ud83d\ude00 \" \\ \/ \b\f\n\r\t \u0000"}"#,
            #"{"EventType":"e\u0301","Status":"Ä"}"#,  // no normalisation
            " \r\n\t{ \"EventType\" \t: \n\"a\" , \"Status\"\r:\"s\" } \n",
            #"{"Data":{"EventType":"inner","JobId":"x"},"EventType":"outer"}"#,
            #"{"List":["EventType","JobId",{"Status":"no"}],"EventType":"a"}"#,
            #"{"x":"}{][\",\"EventType\":\"no","EventType":"yes"}"#,
            #"{"n":-1.5e+10,"t":true,"f":false,"z":null,"EventType":"a","o":{},"a":[]}"#,
            #"{"n":0 ,"EventType":"a" }"#,
            #"{"eventtype":"a"}"#, #"{"EventTypes":"a"}"#, #"{"EventTyp":"a"}"#, #"{"EventTime":"a"}"#,
            #"{"EveK":"a","EventType":"b"}"#,  // Kelvin sign: not canonically "EventType"
            #"{"EventType":""}"#, #"{"EventType":"a","JobId":"","MediaId":"","VideoId":"v"}"#,
            #"{}"#, #"[]"#, #"[{"EventType":"a"}]"#, #""EventType""#, "1", "null", "",
            #"{"EventType":"a",}"#, #"{"EventType":"a""#, #"{"EventType":'a'}"#, #"{"EventType":"\x"}"#,
            #"{"EventType":"\ud800"}"#, #"{"EventType":"a","n":1e999}"#, #"{"EventType":"a","n":01}"#,
        ])
    func handPicked(json: String) {
        agree(Array(json.utf8))
    }

    @Test(
        "nesting at and past the limit, with and without other faults",
        arguments: [
            (64, "", true), (65, "", false), (64, ",", false), (65, ",", false), (65, "}", false), (200, "x", false),
        ])
    func depth(levels: Int, fault: String, accepted: Bool) {
        // {"EventType":"a","n":[[[...]]]}: the object is one level, the arrays the rest.
        let arrays = levels - 1
        let body =
            #"{"EventType":"a","n":"# + String(repeating: "[", count: arrays) + fault
            + String(repeating: "]", count: arrays) + "}"
        agree(Array(body.utf8))
        agree(Array((fault + body).utf8), "fault first")
        #expect((try? EventParser.envelope(of: Array(body.utf8))) != nil || !accepted)
    }

    @Test("generated objects read the same as with JSONDecoder")
    func generated() {
        var random = SplitMix64(seed: 0x5EED_0001)
        for round in 0..<3000 {
            agree(Array(JSONGenerator.object(&random, depth: 0).utf8), "round \(round)")
        }
    }

    @Test("mutated fixtures and generated bodies read the same as with JSONDecoder")
    func mutated() throws {
        var random = SplitMix64(seed: 0x5EED_0002)
        var seeds = try EventFixtures.eventSamples.map { try EventFixtures.sample($0) }
        for _ in 0..<40 { seeds.append(Array(JSONGenerator.object(&random, depth: 0).utf8)) }
        var stillValid = 0
        for round in 0..<20000 {
            var body = seeds[random.below(seeds.count)]
            for _ in 0...random.below(3) { Mutation.apply(&body, &random) }
            if case .success = Self.oracle(body) { stillValid += 1 }
            agree(body, "round \(round)")
        }
        // The mutations must leave enough valid bodies for the comparison to mean something.
        #expect(stillValid > 2000)
    }
}

/// A small deterministic generator, so a failure names a reproducible round.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
}

/// Random JSON text biased towards what can trip the scanner: envelope names (plain, escaped,
/// duplicated, nested), strings full of escapes and brackets, odd whitespace.
enum JSONGenerator {
    static let names = [
        "EventType", "JobId", "MediaId", "VideoId", "Status", "EventTime", "Data",
        #"Event\u0054ype"#, #"\u004aobId"#, #"Med\u0069aId"#, #"Status\/"#, "eventType", "EventTyp",
        "EventTypeX", "JobID", "x", "", #"\""#, "Ev\u{212A}", "Stat\u{0075}s", "é",
    ]
    static let stringPieces = [
        "a", "success", "fail", "", " ", "{", "}", "[", "]", ",", ":", #"\""#, #"\\"#, #"\/"#, #"\n"#,
        #"\t"#, #"\u0041"#, #"\u00e9"#, #"\ud83d\ude00"#, #"\u0000"#, "é", "😀", "EventType", #"\"EventType\":\"x"#,
    ]
    static let whitespace = ["", "", "", " ", "\n", "\t", "\r\n", "  "]

    static func ws(_ random: inout SplitMix64) -> String { random.pick(whitespace) }

    static func string(_ random: inout SplitMix64) -> String {
        var text = "\""
        for _ in 0..<random.below(5) { text += random.pick(stringPieces) }
        return text + "\""
    }

    static func value(_ random: inout SplitMix64, depth: Int) -> String {
        let kind = depth > 3 ? random.below(5) : random.below(8)
        switch kind {
        case 0, 1: return string(&random)
        case 2: return random.pick(["0", "-1", "12.5", "1e3", "-0.0e-2", "123456789012345678901234567890"])
        case 3: return random.pick(["true", "false", "null"])
        case 4: return "\"" + random.pick(["success", "AIVideoTagComplete", "j-1"]) + "\""
        case 5, 6: return object(&random, depth: depth + 1)
        default:
            let items = (0..<random.below(4)).map { _ in ws(&random) + value(&random, depth: depth + 1) + ws(&random) }
            return "[" + items.joined(separator: ",") + "]"
        }
    }

    static func object(_ random: inout SplitMix64, depth: Int) -> String {
        var members: [String] = []
        if depth == 0, random.below(4) != 0 { members.append(#""EventType":"# + string(&random)) }
        for _ in 0..<random.below(depth == 0 ? 9 : 4) {
            let name = "\"" + random.pick(names) + "\""
            members.append(ws(&random) + name + ws(&random) + ":" + ws(&random) + value(&random, depth: depth) + ws(&random))
        }
        if random.below(2) == 0 { members.shuffle(using: &random) }
        return ws(&random) + "{" + members.joined(separator: ",") + "}" + ws(&random)
    }
}

extension SplitMix64: RandomNumberGenerator {}

/// Small edits to a body: most break it, some keep it valid but change what it says.
enum Mutation {
    static let alphabet = Array(#"{}[]",:\ u0123456789abcdefEeTtnlrsx-+."#.utf8) + [0x0A, 0x09, 0xC3, 0xA9, 0x80]

    static func apply(_ body: inout [UInt8], _ random: inout SplitMix64) {
        guard !body.isEmpty else {
            body = [random.pick(alphabet)]
            return
        }
        let at = random.below(body.count)
        switch random.below(6) {
        case 0: body.remove(at: at)
        case 1: body.insert(random.pick(alphabet), at: at)
        case 2: body[at] = random.pick(alphabet)
        case 3:
            // Duplicate a slice (members, names, escapes).
            let end = min(body.count, at + 1 + random.below(24))
            body.insert(contentsOf: body[at..<end], at: random.below(body.count))
        case 4:
            // Insert a member right after an opening brace.
            if let brace = body[at...].firstIndex(of: UInt8(ascii: "{")) {
                let member = "\"" + random.pick(JSONGenerator.names) + "\":" + JSONGenerator.value(&random, depth: 3) + ","
                body.insert(contentsOf: Array(member.utf8), at: brace + 1)
            }
        default:
            // Delete a slice.
            let end = min(body.count, at + 1 + random.below(16))
            body.removeSubrange(at..<end)
        }
    }
}
