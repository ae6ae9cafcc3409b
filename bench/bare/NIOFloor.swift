// The floors under vodhook's own code, on NIO without Hummingbird: what an HTTP/1 request costs
// in NIO's channel pipeline here ("nio"), and the same with vodhook's durability, a group-committed
// append and fdatasync before the answer ("nio-sync"). bench/ingest prints vodhook against them.
import Dispatch
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

enum NIOFloor {
    static func run(host: String, port: Int, file: String?) throws {
        let commit = try file.map(GroupCommit.init(path:))
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false)
                    try channel.pipeline.syncOperations.addHandler(AnswerHandler(commit: commit))
                }
            }
            .bind(host: host, port: port).wait()
        print("vodhook-bench-bare: NIO floor\(file == nil ? "" : " with fdatasync") listening on \(host):\(port)")
        try channel.closeFuture.wait()
    }
}

/// Reads a request whole, then answers 200 with no body: at once, or once its body is durable.
private final class AnswerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let commit: GroupCommit?
    private var keepAlive = true
    private var body: ByteBuffer?

    init(commit: GroupCommit?) { self.commit = commit }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            body = nil
        case .body(var chunk):
            if body == nil { body = chunk } else { body?.writeBuffer(&chunk) }
        case .end:
            guard let commit else { return answer(context) }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            commit.append(body.map { Array($0.readableBytesView) } ?? []) {
                eventLoop.execute { bound.value.0.answer(bound.value.1) }
            }
        }
    }

    private func answer(_ context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: "0")
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }
}

/// One thread appends queued lines with one write and one fdatasync per batch, then tells each.
private final class GroupCommit: Sendable {
    private let queue = Mutex<[(line: [UInt8], done: @Sendable () -> Void)]>([])
    private let wake = DispatchSemaphore(value: 0)

    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let thread = Thread { [self] in self.loop(fd) }
        thread.start()
    }

    func append(_ line: [UInt8], done: @escaping @Sendable () -> Void) {
        queue.withLock { $0.append((line, done)) }
        wake.signal()
    }

    private func loop(_ fd: Int32) {
        var bytes: [UInt8] = []
        while true {
            wake.wait()
            let batch = queue.withLock { queue in
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }
            guard !batch.isEmpty else { continue }
            bytes.removeAll(keepingCapacity: true)
            for item in batch {
                bytes.append(contentsOf: item.line)
                bytes.append(0x0A)
            }
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            // A floor, not a ledger: a failed write or sync ends the benchmark run.
            guard written == bytes.count, fdatasync(fd) == 0 else { fatalError("write or fdatasync failed: errno \(errno)") }
            for item in batch { item.done() }
        }
    }
}
