import Testing
import VODHookCore

@Suite("Handler write paths")
struct HandlerPathTests {
    static func path(
        media: String?, job: String? = "b848aa", type: String = "AIVideoTagComplete", template: PathTemplate = .standard
    ) -> String? {
        template.relativePath(for: HandlerMatchTests.event(type, media: media, job: job, seq: 42))
    }

    /// A path that stays under `dir`: relative, no `.`/`..`/empty component, no NUL.
    static func staysInside(_ path: String?) -> Bool {
        guard let path, !path.hasPrefix("/"), !path.contains("\0") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    @Test("the standard path is <MediaId>/<JobId>.<AIType>.json")
    func standard() {
        #expect(
            Self.path(media: "4fef0a12bc34de56f7a8b9c0d1e2f3a4", job: "b848b9c0d1e2f3a44fef0a12bc34de56")
                == "4fef0a12bc34de56f7a8b9c0d1e2f3a4/b848b9c0d1e2f3a44fef0a12bc34de56.AIVideoTag.json")
        #expect(Self.path(media: "m", type: "AIMediaDNAComplete") == "m/b848aa.AIMediaDNA.json")
    }

    @Test(
        "forged ids never leave dir",
        arguments: [
            "../../etc", "..", ".", "/etc/passwd", "/", "a/../../b", "a\0b", "\0", "", "...", "./x", "a/b", "..\\..\\x",
            " ", "\n", "é/../../", String(repeating: "../", count: 100), "~root", "$(rm -rf /)",
        ])
    func forgedMediaId(_ media: String) {
        let path = Self.path(media: media)
        #expect(Self.staysInside(path), "\(media.debugDescription) → \(path.debugDescription)")
        // The media id is one component: the job's file is always the second.
        #expect(path?.split(separator: "/").count == 2, "\(media.debugDescription) → \(path.debugDescription)")
        #expect(path?.hasSuffix("/b848aa.AIVideoTag.json") == true)
    }

    @Test("forged job ids and event types stay one file name", arguments: ["../../etc/cron.d/x", "/abs", "..", "", "a\0b"])
    func forgedJobId(_ job: String) {
        let path = Self.path(media: "m", job: job)
        #expect(Self.staysInside(path), "\(job.debugDescription) → \(path.debugDescription)")
        #expect(path?.split(separator: "/").count == 2 && path?.hasPrefix("m/") == true)
        let typed = Self.path(media: "m", type: "AI../../xComplete")
        #expect(Self.staysInside(typed) && typed?.split(separator: "/").count == 2)
    }

    @Test("sanitizing keeps ids and replaces everything else")
    func sanitize() {
        #expect(PathComponent.sanitize("4fef0a12-bc34_de56.f7") == "4fef0a12-bc34_de56.f7")
        #expect(PathComponent.sanitize("../../etc") == "_._.._etc")
        #expect(PathComponent.sanitize("..") == "_.")
        #expect(PathComponent.sanitize("") == "_")
        #expect(PathComponent.sanitize("a\0b/c") == "a_b_c")
        #expect(PathComponent.sanitize("中文") == "__")
        #expect(PathComponent.sanitize(String(repeating: "x", count: 1000)).count == PathComponent.maxLength)
    }

    @Test("an event without a JobId gets its seq, one that is no AI result its type")
    func fallbacks() {
        #expect(Self.path(media: "m", job: nil, type: "FileUploadComplete") == "m/seq-42.FileUploadComplete.json")
        #expect(Self.path(media: nil, job: "") == "_/seq-42.AIVideoTag.json")
    }

    @Test("a custom template is rendered with sanitized values")
    func custom() throws {
        let template = try PathTemplate(parsing: "by-type/{ai_type}/{media_id}-{job_id}-{status}.json")
        #expect(Self.path(media: "../x", template: template) == "by-type/AIVideoTag/_._x-b848aa-success.json")
        #expect(throws: PathTemplate.Problem.badComponent("..")) { try PathTemplate(parsing: "{media_id}/../x") }
        #expect(throws: PathTemplate.Problem.absolute) { try PathTemplate(parsing: "/x/{job_id}") }
        #expect(throws: PathTemplate.Problem.empty) { try PathTemplate(parsing: "") }
        #expect(throws: PathTemplate.Problem.badComponent("")) { try PathTemplate(parsing: "a//b") }
    }
}
