import Foundation
import Synchronization
import VODHook
import VODHookCore

/// A fault the fake plays on the next correctly signed call, one per call, in order.
enum FakeVODFault: Sendable, Hashable {
    /// HTTP 400 `Throttling.User`, as VOD answers a flow-control refusal (docs/vod.md §3.4).
    case throttle
    /// HTTP 500 `InternalError`.
    case internalError
    /// Waits this long, then answers normally (the job is created: the client just did not wait).
    case delay(Duration)
    /// Creates the job at once, then waits this long before answering: the window in which a
    /// client can die after VOD billed the job and before it heard so.
    case answerAfter(Duration)
    /// HTTP 200 with a body that is not the action's answer.
    case malformedBody
    /// Does the call (a submit creates its jobs), then answers this status with a proxy's HTML
    /// page instead of VOD's answer: a gateway that lost VOD's reply (502, 504).
    case answeredByProxy(Int)
}

/// One call the fake received, whatever became of it.
struct FakeVODCall: Sendable, Hashable {
    /// The action, once the signature passed; `nil` if refused before.
    var action: String?
    /// The style the request claimed, if any.
    var style: SigningStyle?
    /// HTTP status answered.
    var status: Int
    /// The error code answered, `nil` on success.
    var code: String?
    /// The query exactly as it arrived, to prove the client did not re-encode it.
    var rawQuery: String
    /// How many `Host` values arrived (the `:authority` and any left in the fields).
    var hostCount: Int
    /// `JobIds` of a `ListAIJob`, split.
    var listedJobIds: [String] = []
}

/// A job the fake created.
struct FakeVODJob: Sendable, Hashable {
    var jobId: String
    var mediaId: String
    var type: String
    var status: String
    var creationTime: String
    /// `UserData.MessageCallback.CallbackURL`, which overrides the account's callback URL.
    var callbackURL: String?
    /// When it finished (`success` or `fail`).
    var completeTime: String?
}

/// The fake VOD's memory: issued keys, jobs, calls, scripted faults and used nonces.
/// Shared between the server's handler and the test, hence the mutex.
final class FakeVODState: Sendable {
    private struct Inner {
        var keys: [String: ACSCredentials]
        var jobs: [String: FakeVODJob] = [:]
        var calls: [FakeVODCall] = []
        var received = 0
        var faults: [FakeVODFault] = []
        var nonces: Set<String> = []
        var nonExistAsBareString = false
        var callbacks: FakeVODCallbackTarget?
        var autoComplete: (status: String, after: Duration)?
        var deliveries: [FakeVODDelivery] = []
    }

    private let inner: Mutex<Inner>
    /// The fake's clock for the timestamp-skew check (epoch seconds).
    let now: @Sendable () -> Int64

    init(credentials: [ACSCredentials], now: @escaping @Sendable () -> Int64 = WallClock.seconds) {
        inner = Mutex(Inner(keys: Dictionary(credentials.map { ($0.accessKeyId, $0) }, uniquingKeysWith: { $1 })))
        self.now = now
    }

    // MARK: Scripting, for tests

    /// Queues faults for the next correctly signed calls.
    func script(_ faults: FakeVODFault...) {
        inner.withLock { $0.faults.append(contentsOf: faults) }
    }

    /// Throttles the next `count` correctly signed calls.
    func throttleNext(_ count: Int) {
        inner.withLock { $0.faults.append(contentsOf: Array(repeating: .throttle, count: count)) }
    }

    /// Writes a one-element `NonExistAIJobIds.String` as a bare string, as VOD sometimes does.
    func writeSingleNonExistentAsString(_ flag: Bool) {
        inner.withLock { $0.nonExistAsBareString = flag }
    }

    /// Moves a job to another status (`success`, `fail`, …).
    func setStatus(_ status: String, of jobId: String) {
        let time = ACSTimestamp(epochSeconds: now()).text
        inner.withLock { inner in
            inner.jobs[jobId]?.status = status
            if status == "success" || status == "fail" { inner.jobs[jobId]?.completeTime = time }
        }
    }

    // MARK: Inspection, for tests

    /// Every call received, in order.
    var calls: [FakeVODCall] { inner.withLock { $0.calls } }

    /// Requests that arrived, counted before any work: a call still being delayed counts, though
    /// it is in ``calls`` only once answered.
    var receivedCount: Int { inner.withLock { $0.received } }

    /// Calls received for `action` (signature passed).
    func callCount(_ action: String) -> Int { calls.filter { $0.action == action }.count }

    /// A job the fake created.
    func job(_ id: String) -> FakeVODJob? { inner.withLock { $0.jobs[id] } }

    /// All jobs the fake created.
    var jobCount: Int { inner.withLock { $0.jobs.count } }

    /// The IDs of all jobs the fake created.
    var allJobIds: [String] { inner.withLock { Array($0.jobs.keys) } }

    // MARK: For the handler

    func credentials(for accessKeyId: String) -> ACSCredentials? {
        inner.withLock { $0.keys[accessKeyId] }
    }

    /// Records a nonce; false if it was used before (VOD's `SignatureNonceUsed`).
    func useNonce(_ nonce: String) -> Bool {
        inner.withLock { $0.nonces.insert(nonce).inserted }
    }

    func nextFault() -> FakeVODFault? {
        inner.withLock { $0.faults.isEmpty ? nil : $0.faults.removeFirst() }
    }

    func arrived() {
        inner.withLock { $0.received += 1 }
    }

    func record(_ call: FakeVODCall) {
        inner.withLock { $0.calls.append(call) }
    }

    var nonExistAsBareString: Bool { inner.withLock { $0.nonExistAsBareString } }

    /// Creates one job per type, with new 32-hex-digit IDs; with `autoComplete` set, each
    /// completes on its own after the delay and its callback is sent.
    func submit(mediaId: String, types: [String], userData: String? = nil) -> [FakeVODJob] {
        let created = ACSTimestamp(epochSeconds: now()).text
        let callbackURL = FakeVODCallbacks.callbackURL(inUserData: userData)
        let jobs = types.map {
            FakeVODJob(
                jobId: UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
                mediaId: mediaId, type: $0, status: "processing", creationTime: created, callbackURL: callbackURL)
        }
        let auto = inner.withLock { inner in
            for job in jobs { inner.jobs[job.jobId] = job }
            return inner.autoComplete
        }
        if let auto {
            for job in jobs {
                Task {
                    try? await Task.sleep(for: auto.after)
                    _ = await self.complete(job.jobId, status: auto.status)
                }
            }
        }
        return jobs
    }

    // MARK: Callbacks

    /// Where completed jobs' callbacks go (the account's callback setting); nil sends none.
    func sendCallbacks(to target: FakeVODCallbackTarget?) {
        inner.withLock { $0.callbacks = target }
    }

    /// Completes every new job on its own after `after`, with `status`.
    func autoComplete(_ status: String, after: Duration) {
        inner.withLock { $0.autoComplete = (status, after) }
    }

    /// Every callback attempt, in order.
    var deliveries: [FakeVODDelivery] { inner.withLock { $0.deliveries } }

    /// Moves a job to `status` and sends its callback as VOD would (up to three attempts);
    /// returns the HTTP status of each attempt (0: not reached). No target, no callback.
    func complete(_ jobId: String, status: String) async -> [Int] {
        setStatus(status, of: jobId)
        let found = inner.withLock { inner -> (FakeVODJob, FakeVODCallbackTarget?)? in
            return inner.jobs[jobId].map { ($0, inner.callbacks) }
        }
        guard let (job, target) = found, let target else { return [] }
        let delivery = target.forJob(callbackURL: job.callbackURL)
        var statuses: [Int] = []
        for _ in 0..<3 {
            let answer = await FakeVODCallbacks.post(job: job, status: status, to: delivery, now: now())
            statuses.append(answer)
            inner.withLock { $0.deliveries.append(FakeVODDelivery(jobId: jobId, url: delivery.deliverTo, status: answer)) }
            if answer == 200 { break }
        }
        return statuses
    }

    /// The known jobs among `ids`, in order, and the unknown IDs.
    func lookup(_ ids: [String]) -> (known: [FakeVODJob], unknown: [String]) {
        inner.withLock { inner in
            var known: [FakeVODJob] = []
            var unknown: [String] = []
            for id in ids {
                if let job = inner.jobs[id] { known.append(job) } else { unknown.append(id) }
            }
            return (known, unknown)
        }
    }
}
