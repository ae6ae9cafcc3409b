import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
import VODHook
import VODHookCore

@testable import VODHookServer

/// The handler in a real HTTP pipeline on an `EmbeddedChannel`: bytes in, bytes out, time moved
/// by hand.
@Suite("Callback channel handler on an embedded channel")
struct CallbackChannelHandlerTests {
    /// Counts the reads that reach the channel (it sits next to it).
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var reads = 0

        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    struct Connection {
        let channel: EmbeddedChannel
        let reads: ReadCounter
        let ledger: LedgerWriter
        let dir: String

        /// Everything written to the client so far, as text.
        func output() throws -> String {
            var text = ""
            while let data = try channel.readOutbound(as: IOData.self) {
                guard case .byteBuffer(let buffer) = data else { continue }
                text += String(buffer: buffer)
            }
            return text
        }

        func send(_ text: String) throws {
            try channel.writeInbound(ByteBuffer(string: text))
        }

        func finish() async {
            _ = try? channel.finish(acceptAlreadyClosed: true)
            await ledger.close()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    static func connect(idleTimeout: TimeAmount = .seconds(75), requestTimeout: TimeAmount = .seconds(60)) throws -> Connection {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vodhook-embedded-\(UUID().uuidString)").path
        let ledger = try LedgerWriter(dataDir: dir, logger: CallbackRouteTests.logger)
        let intake = CallbackIntake(
            paths: ["/vod/callback"],
            verifier: CallbackVerifier(urls: [CallbackRouteTests.url], keys: [CallbackRouteTests.key], maxSkew: 300),
            maxBody: 1024, ledger: ledger, rejections: RejectionLog(logger: CallbackRouteTests.logger),
            now: { CallbackRouteTests.now })
        let channel = EmbeddedChannel()
        let reads = ReadCounter()
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(reads)
        try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
        try pipeline.addHandler(
            CallbackChannelHandler(
                intake: intake, idleTimeout: idleTimeout, requestTimeout: requestTimeout, maxHeld: CallbackChannel.maxHeldRequests
            ))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return Connection(channel: channel, reads: reads, ledger: ledger, dir: dir)
    }

    static let unsigned = "POST /vod/callback HTTP/1.1\r\nHost: vodhook.test\r\nContent-Length: 0\r\n\r\n"

    @Test("a client that pipelines refused requests and does not read its answers is not read while the channel is not writable")
    func notWritable() async throws {
        let connection = try Self.connect()
        let channel = connection.channel
        try connection.send(String(repeating: Self.unsigned, count: 50))
        #expect(try connection.output().components(separatedBy: "HTTP/1.1 401").count - 1 == 50)
        channel.read()
        #expect(connection.reads.reads == 1)

        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        try connection.send(String(repeating: Self.unsigned, count: 50))
        #expect(try connection.output().components(separatedBy: "HTTP/1.1 401").count - 1 == 50)
        channel.read()
        channel.read()
        #expect(connection.reads.reads == 1, "the channel was read while it could not write")

        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(connection.reads.reads == 2, "reading did not resume once the channel could write")
        channel.read()
        #expect(connection.reads.reads == 3)
        await connection.finish()
    }

    @Test(
        "a callback that sends a body byte every 59 s is answered 408 at the request deadline and closed; so is one to another path"
    )
    func dribbled() async throws {
        let connection = try Self.connect(idleTimeout: .seconds(75), requestTimeout: .seconds(60))
        let channel = connection.channel
        var head = "POST /vod/callback HTTP/1.1\r\nHost: vodhook.test\r\nContent-Length: 100\r\n"
        for field in CallbackRouteTests.signed() { head += "\(field.name): \(field.value)\r\n" }
        try connection.send(head + "\r\n{")
        for _ in 0..<3 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(59))
            guard channel.isActive else { break }
            try connection.send(" ")
        }
        let output = try connection.output()
        #expect(output.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(output)")
        #expect(output.contains(#""error":"request_timeout""#))
        #expect(output.lowercased().contains("connection: close"))
        #expect(!channel.isActive)

        let other = try Self.connect(idleTimeout: .seconds(75), requestTimeout: .seconds(60))
        try other.send("POST /elsewhere HTTP/1.1\r\nHost: vodhook.test\r\nContent-Length: 100\r\n\r\nx")
        for _ in 0..<3 {
            other.channel.embeddedEventLoop.advanceTime(by: .seconds(59))
            guard other.channel.isActive else { break }
            try other.send("x")
        }
        #expect(!other.channel.isActive, "a request to another path dribbling its body kept its connection")
        await connection.finish()
        await other.finish()
    }

    @Test("an idle connection is closed after the idle timeout, not before")
    func idle() async throws {
        let connection = try Self.connect(idleTimeout: .seconds(75))
        connection.channel.embeddedEventLoop.advanceTime(by: .seconds(74))
        #expect(connection.channel.isActive)
        connection.channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!connection.channel.isActive)
        #expect(try connection.output().isEmpty)
        await connection.finish()
    }
}
