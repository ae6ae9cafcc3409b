import Foundation
import Synchronization
import VODHook
import VODHookCore

/// A fault the fake plays on the next correctly signed call, one per call, in order.
enum FakeVODFault: Sendable, Hashable {
    /// HTTP 400 `Throttling.User`, as VOD answers a flow-control refusal (REFERENCE §3.4).
    case throttle
    /// HTTP 500 `InternalError`.
    case internalError
    /// Waits this long, then answers normally (the job is created: the client just did not wait).
    case delay(Duration)
    /// HTTP 200 with a body that is not the action's answer.
    case malformedBody
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
        inner.withLock { $0.jobs[jobId]?.status = status }
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

    /// Creates one job per type, with new 32-hex-digit IDs.
    func submit(mediaId: String, types: [String]) -> [FakeVODJob] {
        let created = ACSTimestamp(epochSeconds: now()).text
        let jobs = types.map {
            FakeVODJob(jobId: UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
                       mediaId: mediaId, type: $0, status: "processing", creationTime: created)
        }
        inner.withLock { inner in
            for job in jobs { inner.jobs[job.jobId] = job }
        }
        return jobs
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
