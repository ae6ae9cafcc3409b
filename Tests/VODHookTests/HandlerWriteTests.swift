import Foundation
import Testing
import VODHook
import VODHookCore

/// The `write` action on real files: atomic, inside `dir` whatever the body says.
@Suite("Handler write action")
struct HandlerWriteTests {
    static let media = "4fef0a12bc34de56f7a8b9c0d1e2f3a4"
    static let job = "b848b9c0d1e2f3a44fef0a12bc34de56"

    static func body(media: String = media, job: String = job, type: String = "AIVideoTagComplete", data: String? = nil)
        -> [UInt8]
    {
        var object: [String: Any] = [
            "EventTime": "2026-11-24T12:05:12Z", "EventType": type, "JobId": job, "MediaId": media, "Status": "success",
        ]
        if let data { object["Data"] = data }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    static func entry(_ body: [UInt8], seq: UInt64 = 12) throws -> LedgerEntry {
        let line = LedgerLine.encode(
            seq: seq, at: 0, record: .event(EventRecord(envelope: try EventParser.envelope(of: body), body: body)))
        return try LedgerLine.read(line.dropLast())
    }

    /// Every file under `root`, relative, sorted (hidden ones included).
    static func files(_ root: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let next = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + next, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(next)
            }
        }
        return files.sorted()
    }

    @Test("the raw event lands at <dir>/<MediaId>/<JobId>.<AIType>.json, with no temporary file left")
    func raw() throws {
        try withConfigScratch { scratch in
            let dir = scratch.path("results/nested")
            let body = Self.body()
            let path = try WriteAction(dir: dir).run(entry: try Self.entry(body), body: body)
            #expect(path == "\(dir)/\(Self.media)/\(Self.job).AIVideoTag.json")
            #expect(FileManager.default.contents(atPath: path).map(Array.init) == body)
            #expect(Self.files(dir) == ["\(Self.media)/\(Self.job).AIVideoTag.json"])
        }
    }

    @Test("a second write replaces the file whole")
    func replaces() throws {
        try withConfigScratch { scratch in
            let dir = scratch.path("r")
            let first = Self.body(data: String(repeating: "x", count: 10_000))
            let second = Self.body()
            _ = try WriteAction(dir: dir).run(entry: try Self.entry(first), body: first)
            let path = try WriteAction(dir: dir).run(entry: try Self.entry(second), body: second)
            #expect(FileManager.default.contents(atPath: path).map(Array.init) == second)
            #expect(Self.files(dir).count == 1)
        }
    }

    @Test("content result: the decoded Data, verbatim JSON; null for a failed job")
    func result() throws {
        try withConfigScratch { scratch in
            let dir = scratch.path("r")
            let tags = #"{"Keyword":[{"Tag":"猫","Times":["1000"]}],"Big":12345678901234567890}"#
            let body = Self.body(data: tags)
            let path = try WriteAction(dir: dir, content: .result).run(entry: try Self.entry(body), body: body)
            #expect(String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) == tags)
            let failed = Self.body(job: "j2")
            let failedPath = try WriteAction(dir: dir, content: .result).run(entry: try Self.entry(failed), body: failed)
            #expect(FileManager.default.contents(atPath: failedPath) == Data("null".utf8))
        }
    }

    @Test("forged ids write inside dir and nowhere else", arguments: ["../../etc", "/etc/passwd", "..", "a/../../../b", ""])
    func forged(_ forged: String) throws {
        try withConfigScratch { scratch in
            let dir = scratch.path("inside/results")
            let body = Self.body(media: forged, job: forged)
            let path = try WriteAction(dir: dir).run(entry: try Self.entry(body), body: body)
            #expect(path.hasPrefix(dir + "/"))
            #expect(Self.files(scratch.root) == Self.files(dir).map { "inside/results/" + $0 }, "\(Self.files(scratch.root))")
            #expect(Self.files(dir).count == 1)
            let written = try #require(Self.files(dir).first)
            #expect(!written.split(separator: "/").contains(".."))
        }
    }

    @Test("a symlink planted under dir is not followed")
    func symlink() throws {
        try withConfigScratch { scratch in
            let dir = scratch.path("r")
            let outside = scratch.path("outside")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + Self.media, withDestinationPath: outside)
            let body = Self.body()
            #expect(throws: SystemError.self) { try WriteAction(dir: dir).run(entry: try Self.entry(body), body: body) }
            #expect(Self.files(outside).isEmpty)
            // A link at the file's own name is replaced, not written through.
            let other = Self.body(media: "m2")
            try FileManager.default.createDirectory(atPath: dir + "/m2", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: "\(dir)/m2/\(Self.job).AIVideoTag.json", withDestinationPath: outside + "/victim")
            _ = try WriteAction(dir: dir).run(entry: try Self.entry(other), body: other)
            #expect(!FileManager.default.fileExists(atPath: outside + "/victim"))
        }
    }

    @Test("an unwritable dir is an error naming the path, and leaves nothing behind")
    func unwritable() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("not-a-dir", "x")
            let body = Self.body()
            do {
                _ = try WriteAction(dir: file + "/sub").run(entry: try Self.entry(body), body: body)
                Issue.record("wrote under a file")
            } catch {
                #expect("\(error)".contains(file + "/sub"), "\(error)")
            }
        }
    }
}
