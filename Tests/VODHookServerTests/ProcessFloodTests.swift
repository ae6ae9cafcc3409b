import AsyncHTTPClient
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif
#if canImport(CNIOLinux)
import CNIOLinux  // timeval and MSG_NOSIGNAL: clang gives them to whichever module imports the header first
#endif

extension ProcessTests {
    /// One client that pipelines refused requests as fast as the kernel takes them and never
    /// reads its answers must not make serve's memory grow without bound, nor stop it answering VOD.
    @Suite("serve under a pipelining flood", .serialized)
    struct ProcessFloodTests {
        /// The issue's flood: unsigned `POST /vod/callback` with an empty body, each answered 401.
        static let refused = "POST /vod/callback HTTP/1.1\r\nHost: vodhook.test\r\nContent-Length: 0\r\n\r\n"

        @Test(
            "a connection flooding unsigned pipelined callbacks without reading grows serve's RSS by at most 64 MB; a signed callback on another connection gets 200 meanwhile and after"
        )
        func pipeliningFlood() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                guard case .tcp(_, let port) = server.address else {
                    Issue.record("serve did not listen on TCP: \(server.address)")
                    return
                }
                #expect(try await setup.send(client, server, jobId: "before-flood").status == 200)
                let baseline = try #require(Self.residentBytes(server.pid))

                let flooder = try RawConnection(port: port)
                defer { flooder.close() }
                let progress = FloodProgress()
                let flood = Task.detached {
                    flooder.flood(
                        Self.refused, count: 2_000_000, for: .seconds(60), stalledAfter: .seconds(2), progress: progress)
                }
                var peak = baseline
                var meanwhile: [Int] = []
                // Sampled until the flood ends (serve stopped reading it, or the bounds were
                // reached), or as soon as serve is over the bound.
                var samples = 0
                while !progress.finished.load(ordering: .relaxed), peak - baseline <= 64 << 20 {
                    try await Task.sleep(for: .milliseconds(100))
                    samples += 1
                    peak = max(peak, Self.residentBytes(server.pid) ?? 0)
                    if samples == 10 {
                        meanwhile.append(try await setup.send(client, server, jobId: "during-flood").status)
                    }
                }
                if meanwhile.isEmpty {
                    meanwhile.append(try await setup.send(client, server, jobId: "during-flood").status)
                }
                peak = max(peak, Self.residentBytes(server.pid) ?? 0)
                progress.stop.store(true, ordering: .relaxed)
                let sent = await flood.value
                let growth = peak - baseline
                print(
                    "flood: \(sent) requests written; VmRSS \(baseline >> 20) MiB before, peak \(peak >> 20) MiB (+\(growth >> 20) MiB)"
                )
                #expect(sent > 10_000, "the flood wrote only \(sent) requests: it did not reach serve")
                #expect(growth <= 64 << 20, "VmRSS grew by \(growth >> 20) MiB under the flood (from \(baseline >> 20) MiB)")
                #expect(meanwhile == [200], "a signed callback during the flood was answered \(meanwhile)")
                shutdown(flooder.fd, Int32(SHUT_RDWR))  // the flooder leaves
                #expect(try await setup.send(client, server, jobId: "after-flood").status == 200)
                #expect(server.child.isRunning)
            }
        }

        /// VmRSS of `pid` in bytes, from /proc.
        static func residentBytes(_ pid: Int32) -> Int? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
            else { return nil }
            return kib << 10
        }
    }
}

/// Shared between the flooding thread and the test.
final class FloodProgress: Sendable {
    let finished = Atomic<Bool>(false)
    let stop = Atomic<Bool>(false)
}

extension RawConnection {
    /// Writes `request` over and over as fast as the kernel takes it, never reading, until
    /// `count` requests, `duration`, no byte taken for `stalledAfter` (the server stopped reading),
    /// or `progress.stop`. Returns how many whole requests were written.
    func flood(_ request: String, count: Int, for duration: Duration, stalledAfter stall: Duration, progress: FloodProgress)
        -> Int
    {
        defer { progress.finished.store(true, ordering: .relaxed) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let one = Array(request.utf8)
        let chunk = [[UInt8]](repeating: one, count: 1000).flatMap { $0 }
        let deadline = ContinuousClock.now + duration
        var lastProgress = ContinuousClock.now
        var written = 0  // bytes
        while written / one.count < count, ContinuousClock.now < deadline, !progress.stop.load(ordering: .relaxed) {
            let offset = written % chunk.count
            let n = chunk[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                written += n
                lastProgress = ContinuousClock.now
            } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                if ContinuousClock.now - lastProgress >= stall { break }
            } else {
                break
            }
        }
        return written / one.count
    }
}
