import Foundation
import Synchronization
import Testing
import VODHook
import VODHookCore

/// The `resubmit` action called directly (no dispatcher), on a real ledger and the fake VOD.
@Suite("resubmit handler against the fake VOD")
struct ResubmitHandlerTests {
    @Test("fail, confirmed by ListAIJob, is submitted again with chain, attempt and resubmit_of; the success ends one chain")
    func failThenSuccess() async throws {
        try await ResubmitRig.with { rig in
            let first = try await rig.submitFirst()
            rig.state.setStatus("fail", of: first)
            try await rig.handler().handle(try await rig.event(first, status: "fail"))

            #expect(rig.state.callCount("ListAIJob") == 1 && rig.state.callCount("SubmitAIJob") == 2)
            let jobs = try rig.acceptedJobs()
            try #require(jobs.count == 2)
            let second = jobs[1]
            // Its `sending` line first, then the result, both placed in the chain; same media, type, config, user data.
            let lines = try rig.submissions().filter { $0.resubmitOf != nil }
            #expect(lines.map(\.outcome) == [.sending, .accepted])
            for line in lines {
                #expect(line.chain == first && line.attempt == 2 && line.resubmitOf == first)
                #expect(line.mediaId == ResubmitRig.media && line.aiType == "AIVideoTag")
                #expect(line.aiConfig == ResubmitRig.config && line.userData == ResubmitRig.userData)
            }
            #expect(rig.state.job(second)?.mediaId == ResubmitRig.media)

            // VOD's callback for the new job is correlated: correlation follows the chain.
            let success = try await rig.event(second, status: "success")
            #expect(success.entry.submissionSeq != nil)

            for asked in [first, second] {
                let history = try JobHistory.read(dataDir: rig.dataDir, jobId: asked)
                #expect(history.chain == first && history.jobs == [first, second])
                let book = history.book
                #expect(book.row(jobId: first)?.state == .fail && book.row(jobId: second)?.state == .success)
                #expect(book.row(jobId: second)?.chain == first && book.row(jobId: second)?.attempt == 2)
            }
            let shown = try await rig.sandbox.runVODHook(["job", second, "--data-dir", rig.dataDir])
            #expect(shown.exit.isCleanExit, "\(shown)")
            #expect(shown.stdout.contains("chain \(first)  2 jobs  state success"), "\(shown)")
            #expect(
                shown.stdout.contains("job \(first)  AIVideoTag  media \(ResubmitRig.media)  state fail  attempt 1"), "\(shown)")
            #expect(
                shown.stdout.contains("job \(second)  AIVideoTag  media \(ResubmitRig.media)  state success  attempt 2"),
                "\(shown)")
        }
    }

    @Test("a job that always fails is given up after max_attempts jobs, once")
    func givenUp() async throws {
        try await ResubmitRig.with { rig in
            var job = try await rig.submitFirst()
            let handler = rig.handler(maxAttempts: 3)
            var last: HandlerEvent?
            for _ in 0..<3 {
                rig.state.setStatus("fail", of: job)
                let event = try await rig.event(job, status: "fail")
                try await handler.handle(event)
                last = event
                job = try #require(try rig.acceptedJobs().last)
            }
            #expect(rig.state.callCount("SubmitAIJob") == 3)
            let jobs = try rig.acceptedJobs()
            #expect(jobs.count == 3)
            let givenUp = try rig.entries().filter { $0.kind == .givenUp }
            try #require(givenUp.count == 1)
            #expect(givenUp[0].jobId == jobs[2] && givenUp[0].chain == jobs[0] && givenUp[0].attempts == 3)
            #expect(givenUp[0].handler == "retry" && givenUp[0].eventSeq == last?.entry.seq)

            // Run again (the dispatcher's at-least-once), after a restart too: nothing more.
            try await handler.handle(try #require(last))
            try await rig.restart()
            try await rig.handler(maxAttempts: 3).handle(try #require(last))
            #expect(try rig.entries().filter { $0.kind == .givenUp }.count == 1)
            #expect(rig.state.callCount("SubmitAIJob") == 3)

            let history = try JobHistory.read(dataDir: rig.dataDir, jobId: jobs[1])
            #expect(history.jobs == jobs)
            #expect(history.book.row(jobId: jobs[2])?.state == .givenUp)
            #expect(try JobBook.read(dataDir: rig.dataDir).book.rows(state: .givenUp).map(\.jobId) == [jobs[2]])
            let listed = try await rig.sandbox.runVODHook(["jobs", "--status", "given_up", "--json", "--data-dir", rig.dataDir])
            #expect(listed.exit.isCleanExit && listed.stdout.contains("\"job_id\":\"\(jobs[2])\""), "\(listed)")
            let shown = try await rig.sandbox.runVODHook(["job", jobs[0], "--data-dir", rig.dataDir])
            #expect(
                shown.stdout.contains("3 jobs  state given_up  (no more re-submissions)") && shown.stdout.contains("given up"),
                "\(shown)")
            let verified = try await rig.sandbox.runVODHook(["ledger", "verify", "--data-dir", rig.dataDir])
            #expect(verified.exit.isCleanExit && verified.stdout.contains("given_up"), "\(verified)")
        }
    }

    @Test("a forged fail for a job ListAIJob reports as success: no SubmitAIJob, VOD's answer recorded")
    func forgedFail() async throws {
        try await ResubmitRig.with { rig in
            let first = try await rig.submitFirst()
            rig.state.setStatus("success", of: first)
            let forged = try await rig.event(first, status: "fail")
            try await rig.handler().handle(forged)
            // Nor does a forged fail end a chain at its limit.
            try await rig.handler(maxAttempts: 1).handle(forged)

            #expect(rig.state.callCount("ListAIJob") == 2)
            #expect(rig.state.callCount("SubmitAIJob") == 1)
            let polled = try rig.entries().filter { $0.kind == .event && $0.source == EventRecord.pollSource }
            try #require(polled.count == 1)
            #expect(polled[0].jobId == first && polled[0].status == "success" && polled[0].submissionSeq != nil)
            #expect(try JobBook.read(dataDir: rig.dataDir).book.row(jobId: first)?.state == .success)
            #expect(try rig.entries().filter { $0.kind == .givenUp }.isEmpty)
        }
    }

    @Test("a fail for a job VOD does not know, or one VOD still runs: nothing submitted")
    func unconfirmed() async throws {
        try await ResubmitRig.with { rig in
            let first = try await rig.submitFirst()
            try await rig.handler().handle(try await rig.event(first, status: "fail"))  // the fake still runs it
            #expect(rig.state.callCount("SubmitAIJob") == 1)
            #expect(try rig.entries().filter { $0.source == EventRecord.pollSource }.isEmpty)
        }
    }

    @Test("a re-run of the event after a re-submission, even after a restart, submits nothing more")
    func rerun() async throws {
        try await ResubmitRig.with { rig in
            let first = try await rig.submitFirst()
            rig.state.setStatus("fail", of: first)
            let event = try await rig.event(first, status: "fail")
            try await rig.handler().handle(event)
            try await rig.handler().handle(event)
            try await rig.restart()
            try await rig.handler().handle(event)
            #expect(rig.state.callCount("SubmitAIJob") == 2)
            // Decided from the ledger before any call: no ListAIJob either.
            #expect(rig.state.callCount("ListAIJob") == 1)
            #expect(try rig.acceptedJobs().count == 2)
        }
    }

    @Test("a sending line a crash left (the call's answer never recorded) counts: never a second job")
    func crashedDuringCall() async throws {
        try await ResubmitRig.with { rig in
            let first = try await rig.submitFirst()
            rig.state.setStatus("fail", of: first)
            let event = try await rig.event(first, status: "fail")
            let item = SubmitItem(
                mediaId: ResubmitRig.media, types: ["AIVideoTag"],
                resubmission: Resubmission(chain: first, attempt: 2, of: first))
            _ = try await rig.writer.append(item.intents.map(LedgerRecord.submitted))
            try await rig.restart()
            try await rig.handler().handle(event)
            #expect(rig.state.callCount("SubmitAIJob") == 1)
        }
    }

    @Test("confirm: false asks no ListAIJob; the backoff runs from the event's time")
    func noConfirm() async throws {
        try await ResubmitRig.with { rig in
            let first = try await rig.submitFirst()
            let event = try await rig.event(first, status: "fail")
            let waits = VODClientSupport.SleepLog()
            let at = event.entry.at
            try await rig.handler(confirm: false, backoff: .seconds(60), now: { at + 15_000 }, sleep: waits.sleep).handle(event)
            #expect(rig.state.callCount("ListAIJob") == 0)
            #expect(rig.state.callCount("SubmitAIJob") == 2)
            #expect(waits.recorded == [.seconds(45)])
        }
    }

    @Test("an uncorrelated fail (a job vodhook did not submit) and a success: nothing to do, no call")
    func nothingToDo() async throws {
        try await ResubmitRig.with { rig in
            let stranger = try await rig.event(ProcessEvent.jobId(), status: "fail")
            #expect(stranger.entry.submissionSeq == nil)
            try await rig.handler().handle(stranger)
            let first = try await rig.submitFirst()
            try await rig.handler().handle(try await rig.event(first, status: "success"))
            #expect(rig.state.callCount("ListAIJob") == 0 && rig.state.callCount("SubmitAIJob") == 1)
        }
    }

    @Test("a 5xx from SubmitAIJob is recorded unknown and not retried into a second job")
    func serverError() async throws {
        try await ResubmitRig.with { rig in
            let first = try await rig.submitFirst()
            let event = try await rig.event(first, status: "fail")
            rig.state.script(.internalError)
            try await rig.handler(confirm: false).handle(event)  // returns: a retry could bill twice
            try await rig.handler(confirm: false).handle(event)
            #expect(rig.state.callCount("SubmitAIJob") == 2)
            let results = try rig.submissions().filter { $0.resubmitOf == first && $0.outcome != .sending }
            #expect(results.map(\.outcome) == [.unknown])
        }
    }

    @Test("a refused submission throws (the dispatcher retries) and the retry submits")
    func refusedThenRetried() async throws {
        try await ResubmitRig.with { rig in
            let first = try await rig.submitFirst()
            let event = try await rig.event(first, status: "fail")
            rig.state.throttleNext(4)  // the client's four tries
            await #expect(throws: ResubmitError.self) { try await rig.handler(confirm: false).handle(event) }
            #expect(try rig.acceptedJobs().count == 1)
            try await rig.handler(confirm: false).handle(event)
            #expect(try rig.acceptedJobs().count == 2)
            let results = try rig.submissions().filter { $0.resubmitOf == first && $0.outcome != .sending }
            #expect(results.map(\.outcome) == [.refused, .accepted])
        }
    }
}
