import Foundation
public import Hummingbird
import NIOCore
public import VODHook
import VODHookCore

/// The control socket's routes: `POST /v1/ledger/append`, by which `vodhook submit` and
/// `vodhook reconcile` hand their lines to a running server, the data directory's one writer;
/// and `GET /v1/jobs/open`, the jobs still pending or unknown from the writer's memory, for
/// `vodhook jobs --status` and `vodhook reconcile` (so neither reads the ledger's history).
///
/// It listens only on `<data-dir>/control/vodhook.sock` (in a directory of mode 0700), never on
/// the public listener: whoever can reach it can write to the ledger.
public struct ControlRoutes: Sendable {
    /// Empty while serve reads the ledger at start: appends are answered 503 meanwhile.
    public let ledger: LedgerGate
    /// The largest request: a batch of records, each at most a callback body's size.
    public let maxBody: Int

    public init(ledger: LedgerWriter, maxBody: Int = 16 << 20) {
        self.init(gate: LedgerGate(ledger), maxBody: maxBody)
    }

    public init(gate: LedgerGate, maxBody: Int = 16 << 20) {
        ledger = gate
        self.maxBody = maxBody
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.post(RouterPath(ControlAppendRequest.path)) { request, _ in
            try await append(request)
        }
        router.get(RouterPath(ControlOpenJobsResponse.path)) { _, _ in
            openJobs()
        }
    }

    func openJobs() -> Response {
        guard let ledger = ledger.current else { return Self.opening() }
        // lastSeq first: the rows are at least as new, never older than it says.
        let lastSeq = ledger.durableEnd.lastSeq
        // Copied out under the writer's lock, encoded after it (``ControlOpenJobsResponse``: binary).
        let body = ControlOpenJobsResponse(rows: ledger.openJobs, lastSeq: lastSeq).encoded()
        return Response(
            status: .ok, headers: [.contentType: ControlOpenJobsResponse.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    func append(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: maxBody)
        let message: ControlAppendRequest
        do {
            message = try JSONDecoder().decode(ControlAppendRequest.self, from: Data(buffer.readableBytesView))
        } catch {
            return ErrorBody.response(status: .badRequest, code: "bad_request", reason: "not an append request")
        }
        // Every record is checked before any is written: a bad one refuses the whole request.
        var records: [LedgerRecord] = []
        for record in message.records {
            records.append(try record.ledgerRecord())
        }
        guard let ledger = ledger.current else { return Self.opening() }
        // Together: one batch, in the sender's order (a submission before its event), all or none.
        let results = try await ledger.append(records).map {
            ControlAppendResponse.Result(seq: $0.seq, duplicate: $0.isDuplicate)
        }
        let body = try JSONEncoder().encode(ControlAppendResponse(results: results))
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// 503 while serve still reads its ledger at start.
    private static func opening() -> Response {
        var response = ErrorBody.response(
            status: .serviceUnavailable, code: "ledger_opening", reason: "the server is starting and reading its ledger; retry")
        response.headers[.retryAfter] = String(LedgerGate.retryAfterSeconds)
        return response
    }
}
