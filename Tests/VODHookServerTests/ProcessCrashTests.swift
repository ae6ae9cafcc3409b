import AsyncHTTPClient
import Foundation
import Synchronization
import Testing
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ProcessTests {
    /// What a crash leaves behind, and what start-up makes of it.
    @Suite("crash safety of the real binary", .serialized)
    struct ProcessCrashTests {
        static let fragment = #"{"seq":3,"at":"2026"#

        /// Two events recorded by a real run, stopped, then a torn third line appended by hand.
        static func tornLedger(_ setup: ProcessServeSetup, client: HTTPClient) async throws {
            let server = try await setup.start(client: client)
            defer { server.child.forceKill() }
            for index in 1...2 {
                let answer = try await setup.send(client, server, jobId: ProcessEvent.jobId("good\(index)"))
                try #require(answer.status == 200, "\(answer)")
            }
            try #require(try await server.terminate().isCleanExit)
            let handle = try #require(FileHandle(forWritingAtPath: ProcessLedger.path(setup.dataDir)))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(fragment.utf8))
        }

        @Test("a torn last line is moved to ledger.jsonl.broken-*, the ledger verifies, and its seq is never handed out")
        func tornTail() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                try await Self.tornLedger(setup, client: client)
                let good = Array(ProcessLedger.bytes(setup.dataDir).dropLast(Self.fragment.utf8.count))

                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let broken = ProcessLedger.files(setup.dataDir, prefix: "ledger.jsonl.broken-")
                #expect(broken.count == 1, "broken files: \(broken)")
                if let name = broken.first {
                    let saved = try Data(contentsOf: URL(fileURLWithPath: setup.dataDir + "/" + name))
                    #expect(String(decoding: saved, as: UTF8.self) == Self.fragment)
                }
                let bytes = ProcessLedger.bytes(setup.dataDir)
                #expect(bytes == good, "the ledger is not the two good lines")
                #expect(bytes.last == 0x0A)
                let verify = try await setup.verify()
                #expect(verify.exit.isCleanExit, "\(verify)")

                let answer = try await setup.send(client, server, jobId: ProcessEvent.jobId("next"))
                #expect(answer.status == 200, "\(answer)")
                #expect(answer.seq == 4, "seq after a torn line 3: \(answer)")
                #expect(ProcessLedger.entries(setup.dataDir).map(\.seq) == [1, 2, 4])
                #expect(try await server.terminate().isCleanExit)
            }
        }

        @Test("the seq of a torn line stays retired when the server restarts again before the next event")
        func tornSeqSurvivesSecondRestart() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                try await Self.tornLedger(setup, client: client)
                // The first start repairs the tail; it records nothing.
                let repairing = try await setup.start(client: client)
                defer { repairing.child.forceKill() }
                #expect(ProcessLedger.files(setup.dataDir, prefix: "ledger.jsonl.broken-").count == 1)
                #expect(try await repairing.terminate().isCleanExit)

                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let answer = try await setup.send(client, server, jobId: ProcessEvent.jobId("next"))
                #expect(answer.status == 200, "\(answer)")
                #expect(answer.seq == 4, "seq 3 was in a torn line; handing it out again reuses it: \(answer)")
                #expect(try await server.terminate().isCleanExit)
            }
        }

        @Test("serve refuses to start on a ledger.seq it cannot read, naming it, rather than hand out seqs again")
        func unreadableSeqFloor() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let floor = setup.dataDir + "/ledger.seq"
            try FileManager.default.createDirectory(atPath: floor, withIntermediateDirectories: true)
            let refused = try await sandbox.runVODHook(["serve"] + setup.arguments(), timeout: .seconds(20))
            #expect(!refused.exit.isCleanExit && !refused.exit.signaled, "\(refused)")
            #expect(refused.stderr.contains(floor), "the refusal does not name ledger.seq: \(refused)")
        }

        @Test("under concurrent load and repeated SIGKILL, every event answered 200 is in the ledger exactly once")
        func killUnderLoad() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let rounds = 4
            let senders = 6
            let perSenderLimit = 5_000
            var acknowledged: [String: UInt64] = [:]
            var answeredPerRound: [Int] = []
            try await ProcessHTTP.withClient { client in
                for round in 1...rounds {
                    let server = try await setup.start(client: client)
                    defer { server.child.forceKill() }
                    let stop = ProcessStopFlag()
                    let results = try await withThrowingTaskGroup(of: [(String, UInt64)].self) { group in
                        for sender in 0..<senders {
                            group.addTask {
                                var accepted: [(String, UInt64)] = []
                                for index in 0..<perSenderLimit where !stop.isSet {
                                    let jobId = "r\(round)-s\(sender)-\(index)-" + ProcessEvent.jobId("c")
                                    guard let answer = try? await setup.send(client, server, jobId: jobId) else { break }
                                    if answer.status == 200 {
                                        accepted.append((jobId, answer.seq ?? 0))
                                    } else {
                                        Issue.record("round \(round): \(jobId) answered \(answer)")
                                        break
                                    }
                                }
                                return accepted
                            }
                        }
                        try await Task.sleep(for: .milliseconds(Int.random(in: 200...800)))
                        await server.kill()
                        stop.set()
                        var all: [(String, UInt64)] = []
                        for try await accepted in group { all += accepted }
                        return all
                    }
                    #expect(
                        server.child.exit?.signaled == true,
                        "round \(round): the server was not killed: \(String(describing: server.child.exit))")
                    answeredPerRound.append(results.count)
                    for (jobId, seq) in results {
                        #expect(acknowledged[jobId] == nil, "\(jobId) acknowledged twice")
                        acknowledged[jobId] = seq
                    }
                }

                // A last start repairs any torn tail the final SIGKILL left; a clean stop closes the ledger.
                let last = try await setup.start(client: client)
                defer { last.child.forceKill() }
                #expect(try await last.terminate().isCleanExit)
            }

            #expect(
                answeredPerRound.allSatisfy { $0 > 0 }, "a round had no accepted event, so it tested nothing: \(answeredPerRound)"
            )
            let entries = ProcessLedger.entries(setup.dataDir)
            var lines: [String: [UInt64]] = [:]
            for entry in entries { lines[entry.jobId ?? "", default: []].append(entry.seq) }
            for (jobId, seq) in acknowledged.sorted(by: { $0.value < $1.value }) {
                let found = lines[jobId] ?? []
                #expect(found.count == 1, "\(jobId), answered 200 as seq \(seq), has \(found.count) ledger lines")
                #expect(found.first == seq, "\(jobId) was answered seq \(seq) but its line has seq \(found)")
            }
            let seqs = entries.map(\.seq)
            #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 }, "seqs do not strictly increase")
            let verify = try await setup.verify()
            #expect(verify.exit.isCleanExit, "\(verify)")
        }
    }
}

/// Tells the load senders to stop.
final class ProcessStopFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
