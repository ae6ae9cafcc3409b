public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import VODHookCore

/// Where a command that is not the server (`submit`, `reconcile`) appends its lines: the
/// data directory itself when no server holds it, else the running server through its control
/// socket. Either way there is one writer, and each append returns once its lines are durable.
public protocol LedgerSink: Sendable {
    /// Appends records together, in order (one batch: all durable or none); returns once they are.
    func append(_ records: [LedgerRecord]) async throws -> [LedgerWriter.Outcome]
    /// Lets go of the data directory (a direct sink) or of nothing.
    func close() async
    /// For messages: `the ledger in ./vodhook-data` or `the running server (pid 123)`.
    var description: String { get }
}

/// Opens the right sink for a data directory.
public enum LedgerSinks {
    /// The data directory's own writer if its lock is free, else the running server's control
    /// socket; and every job the ledger knows, read once (by the writer's start-up when it is ours).
    public static func open(dataDir: String, logger: Logger, httpClient: HTTPClient) throws -> (
        sink: any LedgerSink, jobs: JobBook
    ) {
        var book = JobBook()
        switch try writerOrServer(dataDir: dataDir, logger: logger, observe: { book.absorb($0) }) {
        case .writer(let writer):
            return (DirectLedgerSink(writer: writer, dataDir: dataDir), book)
        case .server(let socket, let pid):
            // The server writes meanwhile; reading is safe (whole lines up to where it stops).
            return (
                ControlLedgerSink(socketPath: socket, client: httpClient, holder: pid), try JobBook.read(dataDir: dataDir).book
            )
        }
    }

    /// The same for `reconcile`, with the jobs still pending or unknown instead of every job: the
    /// running server's (from memory, through its control socket), or this writer's, learnt as
    /// its start-up read the ledger.
    public static func openWithOpenJobs(dataDir: String, logger: Logger, httpClient: HTTPClient) async throws -> (
        sink: any LedgerSink, open: [JobBook.Row]
    ) {
        switch try writerOrServer(dataDir: dataDir, logger: logger, observe: { _ in }) {
        case .writer(let writer):
            return (DirectLedgerSink(writer: writer, dataDir: dataDir), writer.openJobs)
        case .server(let socket, let pid):
            let open = try await ControlOpenJobsResponse.fetch(socketPath: socket, client: httpClient)
            return (ControlLedgerSink(socketPath: socket, client: httpClient, holder: pid), open.rows)
        }
    }

    private enum Holder {
        case writer(LedgerWriter)
        case server(socket: String, pid: Int32?)
    }

    private static func writerOrServer(
        dataDir: String, logger: Logger, observe: (LedgerEntry) -> Void
    ) throws -> Holder {
        // A Result, not `catch .inUse`: that pattern on a typed throw crashes Swift 6.3.1's SIL checker.
        let opened = Result { () throws(DataDirectoryError) in
            try LedgerWriter(dataDir: dataDir, logger: logger, observe: observe)
        }
        switch opened {
        case .success(let writer):
            return .writer(writer)
        case .failure(.inUse(_, let pid)):
            let socket = ControlSocket.path(dataDir: dataDir)
            guard FileIO.exists(socket) else {
                throw LedgerSinkError(
                    "\(dataDir) is held by another vodhook" + (pid.map { " (pid \($0))" } ?? "")
                        + " but it has no control socket at \(socket); stop it, or upgrade it, and try again")
            }
            return .server(socket: socket, pid: pid)
        case .failure(let error):
            throw error
        }
    }
}

/// This process is the writer.
public struct DirectLedgerSink: LedgerSink {
    public let writer: LedgerWriter
    public let dataDir: String

    public init(writer: LedgerWriter, dataDir: String) {
        self.writer = writer
        self.dataDir = dataDir
    }

    public func append(_ records: [LedgerRecord]) async throws -> [LedgerWriter.Outcome] {
        try await writer.append(records)
    }

    public func close() async { await writer.close() }

    public var description: String { "the ledger in \(dataDir)" }
}

/// A running `vodhook serve` is the writer: lines go to its control socket.
public struct ControlLedgerSink: LedgerSink {
    public let socketPath: String
    public let holder: Int32?
    private let client: HTTPClient

    public init(socketPath: String, client: HTTPClient, holder: Int32?) {
        self.socketPath = socketPath
        self.client = client
        self.holder = holder
    }

    public func append(_ records: [LedgerRecord]) async throws -> [LedgerWriter.Outcome] {
        guard let url = URL(httpURLWithSocketPath: socketPath, uri: ControlAppendRequest.path) else {
            throw LedgerSinkError("control socket path \(socketPath) cannot be addressed")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        let body = try JSONEncoder().encode(ControlAppendRequest(records: records.map(ControlRecord.init)))
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        let answer: ByteBuffer
        do {
            response = try await client.execute(request, timeout: .seconds(30))
            answer = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw LedgerSinkError("the running server did not take the lines (\(error)); they are not recorded")
        }
        guard response.status == .ok else {
            throw LedgerSinkError(
                "the running server refused the lines: HTTP \(response.status.code) "
                    + String(buffer: answer).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let decoded = try JSONDecoder().decode(ControlAppendResponse.self, from: Data(answer.readableBytesView))
        guard decoded.results.count == records.count else {
            throw LedgerSinkError("the running server answered \(decoded.results.count) results for \(records.count) lines")
        }
        return decoded.results.map { $0.duplicate ? .duplicate(seq: $0.seq) : .recorded(seq: $0.seq) }
    }

    public func close() async {}

    public var description: String { "the running server" + (holder.map { " (pid \($0))" } ?? "") }
}

/// A sink could not be opened or could not record.
public struct LedgerSinkError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
