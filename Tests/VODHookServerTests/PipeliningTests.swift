import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VODHookCore

@testable import VODHookServer

#if canImport(Glibc)
import Glibc
#endif
// sockaddr_in may be owned by NIO's C shim module, depending on which module clang built first.
#if canImport(CNIOLinux)
import CNIOLinux
#endif

/// Requests written to the socket by hand: pipelined, split across writes, closing. HTTP
/// clients never pipeline, so only a raw connection reaches the handler's ordering.
@Suite("Callback channel over a raw connection")
struct PipeliningTests {
    static func request(_ method: String, _ target: String, headers: HTTPFields = [:], body: String = "", close: Bool = false)
        -> String
    {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for field in headers { text += "\(field.name): \(field.value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        if close { text += "Connection: close\r\n" }
        return text + "\r\n" + body
    }

    static func callback(_ jobId: String, key: String = CallbackRouteTests.key, close: Bool = false) -> String {
        request(
            "POST", "/vod/callback", headers: CallbackRouteTests.signed(key: key),
            body: String(buffer: CallbackRouteTests.event(jobId)), close: close)
    }

    @Test("pipelined requests are answered in order, whichever side takes each, and Connection: close closes")
    func pipelined() async throws {
        try await CallbackRouteTests.withServer { client, harness in
            let port = try #require(client.port)
            let socket = try RawConnection(port: port)
            defer { socket.close() }
            try socket.send(
                Self.callback("p1") + Self.request("GET", "/healthz") + Self.callback("p2")
                    + Self.callback("p3", key: "wrong") + Self.request("GET", "/vod/callback")
                    + Self.request("POST", "/vod/other", body: "{}") + Self.callback("p4", close: true))
            let answers = try RawConnection.responses(in: await socket.readToEnd())
            #expect(answers.map(\.status) == [200, 200, 200, 403, 405, 404, 200])
            #expect(answers.first?.body == "{\"seq\":1,\"duplicate\":false}\n")
            #expect(answers.last?.body == "{\"seq\":3,\"duplicate\":false}\n")
            #expect(answers.last?.headers["connection"] == "close")
            let jobs = harness.lines.compactMap { line in ["p1", "p2", "p4"].first { line.contains(#""job_id":"\#($0)""#) } }
            #expect(jobs == ["p1", "p2", "p4"])
        }
    }

    @Test("a body that arrives in pieces is read whole; an oversize one is refused and the connection goes on")
    func pieces() async throws {
        try await CallbackRouteTests.withServer(maxBody: 1024) { client, harness in
            let port = try #require(client.port)
            let socket = try RawConnection(port: port)
            defer { socket.close() }
            let whole = Self.callback("split")
            let bytes = Array(whole.utf8)
            for piece in [bytes[..<40], bytes[40..<(bytes.count - 30)], bytes[(bytes.count - 30)...]] {
                try socket.send(String(decoding: piece, as: UTF8.self))
                try await Task.sleep(for: .milliseconds(50))
            }
            // Chunked, so the size is only known as it arrives: 413 once past --max-body.
            let chunk = String(repeating: "x", count: 800)
            var chunked = "POST /vod/callback HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
            for field in CallbackRouteTests.signed() { chunked += "\(field.name): \(field.value)\r\n" }
            chunked += "\r\n" + String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n"
            chunked += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n0\r\n\r\n"
            try socket.send(chunked + Self.callback("after", close: true))
            let answers = try RawConnection.responses(in: await socket.readToEnd())
            #expect(answers.map(\.status) == [200, 413, 200])
            #expect(answers.dropFirst().first?.body.contains(#""error":"too_large""#) == true)
            #expect(harness.lines.count == 2)
            #expect(harness.lines.first?.contains(#""job_id":"split""#) == true)
        }
    }

    @Test("an HTTP/1.0 callback without keep-alive is answered in HTTP/1.0, then the connection closes")
    func http10() async throws {
        try await CallbackRouteTests.withServer { client, harness in
            let port = try #require(client.port)
            let socket = try RawConnection(port: port)
            defer { socket.close() }
            try socket.send(Self.callback("old-client").replacingOccurrences(of: "HTTP/1.1\r\n", with: "HTTP/1.0\r\n"))
            let bytes = try await socket.readToEnd()
            #expect(String(decoding: bytes.prefix(9), as: UTF8.self) == "HTTP/1.0 ")
            let answers = try RawConnection.responses(in: bytes)
            #expect(answers.map(\.status) == [200])
            #expect(answers.first?.headers["connection"] == "close")
            #expect(harness.lines.count == 1)
        }
    }

    @Test("a callback whose body stops arriving for the idle timeout is answered 408 and closed; nothing is written")
    func stalledBody() async throws {
        try await CallbackRouteTests.withServer(idleTimeout: .seconds(1)) { client, harness in
            let port = try #require(client.port)
            let stalled = try RawConnection(port: port)
            defer { stalled.close() }
            try stalled.send(String(Self.callback("stalled").dropLast(40)))
            // Refused from its head, then stalled too: already answered, so it is only closed.
            let refused = try RawConnection(port: port)
            defer { refused.close() }
            try refused.send(String(Self.callback("refused", key: "wrong").dropLast(40)))
            // Read at once: closed with the body's bytes unread, it ends in a reset, which can
            // drop an answer that was not read before it.
            async let refusedBytes = refused.readToEnd()
            let answers = try RawConnection.responses(in: await stalled.readToEnd())
            #expect(answers.map(\.status) == [408])
            #expect(answers.first?.headers["connection"] == "close")
            #expect(answers.first?.body.contains(#""error":"body_timeout""#) == true)
            #expect(try RawConnection.responses(in: await refusedBytes).map(\.status) == [403])
            #expect(harness.lines.isEmpty)
        }
    }

    @Test("a request for another path whose body stops arriving is closed after the idle timeout")
    func stalledRouterBody() async throws {
        try await CallbackRouteTests.withServer(idleTimeout: .seconds(1)) { client, harness in
            let port = try #require(client.port)
            let socket = try RawConnection(port: port)
            defer { socket.close() }
            // 100 bytes announced, 10 sent: the router answers 404 at once, and the rest never comes.
            try socket.send("POST /elsewhere HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789")
            let answers = try RawConnection.responses(in: await socket.readToEnd())
            #expect(answers.map(\.status) == [404])
            #expect(harness.lines.isEmpty)
        }
    }

    @Test(
        "bytes that are not HTTP get 400 and the connection closes; a callback before them is answered first, one cut by them is not written"
    )
    func notHTTP() async throws {
        try await CallbackRouteTests.withServer { client, harness in
            let port = try #require(client.port)
            let garbage = try RawConnection(port: port)
            defer { garbage.close() }
            try garbage.send("\u{1}\u{2} not a request line\r\n\r\n")
            #expect(try RawConnection.responses(in: await garbage.readToEnd()).map(\.status) == [400])
            let behind = try RawConnection(port: port)
            defer { behind.close() }
            try behind.send(Self.callback("before-garbage") + "\u{1}\u{2} not a request line\r\n\r\n")
            let answers = try RawConnection.responses(in: await behind.readToEnd())
            #expect(answers.map(\.status) == [200, 400])
            #expect(harness.lines.count == 1)
            // Broken framing in the middle of a callback's body: 400, nothing written.
            let broken = try RawConnection(port: port)
            defer { broken.close() }
            var chunked = "POST /vod/callback HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
            for field in CallbackRouteTests.signed() { chunked += "\(field.name): \(field.value)\r\n" }
            try broken.send(chunked + "\r\n5\r\n{\"a\":\r\nzz\r\n")
            #expect(try RawConnection.responses(in: await broken.readToEnd()).map(\.status) == [400])
            #expect(harness.lines.count == 1)
            let after = try RawConnection(port: port)
            defer { after.close() }
            try after.send(Self.callback("after-garbage", close: true))
            #expect(try RawConnection.responses(in: await after.readToEnd()).map(\.status) == [200])
        }
    }

    @Test(
        "more requests pipelined behind one not yet answered than are held: those held are answered in order, then the connection closes"
    )
    func heldCap() async throws {
        try await CallbackRouteTests.withServer(idleTimeout: .seconds(3)) { client, harness in
            let port = try #require(client.port)
            let socket = try RawConnection(port: port)
            defer { socket.close() }
            // 200 short requests in one write: one read takes far more than the cap.
            try socket.send(String(repeating: "GET / HTTP/1.1\r\n\r\n", count: 200))
            let answers = try RawConnection.responses(in: await socket.readToEnd())
            #expect(!answers.isEmpty)
            #expect(answers.count <= 1 + CallbackChannel.maxHeldRequests, "\(answers.count) answers")
            #expect(answers.allSatisfy { $0.status == 404 })
        }
    }

    @Test("a keep-alive connection is closed once idle for the idle timeout, after its answer")
    func idle() async throws {
        try await CallbackRouteTests.withServer(idleTimeout: .seconds(1)) { client, harness in
            let port = try #require(client.port)
            let socket = try RawConnection(port: port)
            defer { socket.close() }
            try socket.send(Self.callback("kept") + Self.request("GET", "/healthz"))
            // No Connection: close: only the idle timeout ends this read (the receive timeout is 10 s).
            let answers = try RawConnection.responses(in: await socket.readToEnd())
            #expect(answers.map(\.status) == [200, 200])
            #expect(answers.first?.headers["connection"] == nil)
            #expect(harness.lines.count == 1)
        }
    }
}

/// A blocking TCP connection to 127.0.0.1, with a 10 s receive timeout so a hung server fails
/// the test instead of hanging it.
struct RawConnection {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    let fd: Int32

    /// `connectTimeout` (seconds) bounds `connect` when the server's accept queue is full.
    init(port: Int, connectTimeout: Int? = nil) throws {
        fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let connectTimeout {
            var bound = timeval(tv_sec: connectTimeout, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &bound, socklen_t(MemoryLayout<timeval>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw Failure(description: "connect: errno \(errno)")
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
    }

    /// Everything the server sends until it closes the connection, read on a thread of its own:
    /// a blocking `recv` on the cooperative pool could starve the server under test of it.
    func readToEnd() async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try readToEndBlocking() }) }.start()
        }
    }

    private func readToEndBlocking() throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return result }
            // A reset after an answer: the server closed with bytes of ours unread.
            if n < 0, errno == ECONNRESET, !result.isEmpty { return result }
            guard n > 0 else { throw Failure(description: "recv: errno \(errno) after \(result.count) bytes") }
            result += buffer[..<n]
        }
    }

    func close() {
        Glibc.close(fd)
    }

    /// Splits a stream of HTTP/1.1 answers, each with a Content-Length (as vodhook's all have).
    static func responses(in bytes: [UInt8]) throws -> [Answer] {
        var answers: [Answer] = []
        var rest = bytes[...]
        let separator = Array("\r\n\r\n".utf8)
        while !rest.isEmpty {
            guard let end = rest.indices.first(where: { rest[$0...].starts(with: separator) }) else {
                throw Failure(description: "an answer without the end of its head: \(String(decoding: rest, as: UTF8.self))")
            }
            let lines = String(decoding: rest[..<end], as: UTF8.self).components(separatedBy: "\r\n")
            let statusWords = lines[0].split(separator: " ")
            guard statusWords.count >= 2, let status = Int(statusWords[1]) else {
                throw Failure(description: "not a status line: \(lines[0])")
            }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = end + separator.count
            guard rest.endIndex - bodyStart >= length else { throw Failure(description: "a body cut short") }
            answers.append(
                Answer(
                    status: status, headers: headers,
                    body: String(decoding: rest[bodyStart..<(bodyStart + length)], as: UTF8.self)))
            rest = rest[(bodyStart + length)...]
        }
        return answers
    }
}
