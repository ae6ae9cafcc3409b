import Testing
import VODHookCore

@Suite("Handler exec arguments and environment")
struct HandlerExecTests {
    static let entry = HandlerMatchTests.event(
        "AIMediaAuditComplete", status: "fail", media: "4fef", job: "b848", seq: 99, correlatedTo: 12)

    @Test("argv placeholders take the event's values; other braces stay as written")
    func placeholders() throws {
        let argv = try [
            "/bin/notify", "--job={job_id}", "{media_id}", "{status}", "{event_type}", "{seq}", "{ai_type}",
            "{\"a\":1}", "{}", "{job_id", "{{seq}}",
        ].map(FieldTemplate.init(parsing:))
        #expect(
            argv.map { $0.argument(for: Self.entry) } == [
                "/bin/notify", "--job=b848", "4fef", "fail", "AIMediaAuditComplete", "99", "AIMediaAudit",
                "{\"a\":1}", "{}", "{job_id", "{99}",
            ])
        #expect(throws: FieldTemplate.Problem.unknownPlaceholder("jobid")) { try FieldTemplate(parsing: "{jobid}") }
    }

    @Test("absent values are empty arguments, and a NUL from the body is dropped")
    func absentAndNUL() throws {
        let upload = HandlerMatchTests.event("FileUploadComplete", status: nil, media: "a\0b", job: nil)
        let argv = try ["{job_id}", "{media_id}", "{status}", "{ai_type}"].map(FieldTemplate.init(parsing:))
        #expect(argv.map { $0.argument(for: upload) } == ["", "ab", "", ""])
    }

    @Test("the environment is PATH and VODHOOK_* only, nothing of vodhook's own unless listed")
    func environment() {
        let parent = [
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sk", "ALIBABA_CLOUD_ACCESS_KEY_ID": "ak", "HOME": "/root",
            "PATH": "/home/me/bin", "VODHOOK_CALLBACK_KEYS": "cbk", "LANG": "C.UTF-8",
        ]
        let action = ExecAction(argv: [])
        let variables = HandlerEnvironment.variables(
            for: Self.entry, handler: "notify", attempt: 2, action: action, parent: parent)
        #expect(
            variables == [
                "PATH": HandlerEnvironment.defaultPath,
                "VODHOOK_HANDLER": "notify", "VODHOOK_ATTEMPT": "2", "VODHOOK_SEQ": "99",
                "VODHOOK_EVENT_TYPE": "AIMediaAuditComplete", "VODHOOK_JOB_ID": "b848", "VODHOOK_MEDIA_ID": "4fef",
                "VODHOOK_STATUS": "fail", "VODHOOK_AI_TYPE": "AIMediaAudit", "VODHOOK_CORRELATED": "true",
                "VODHOOK_SUBMISSION_SEQ": "12",
            ])
        let listed = ExecAction(
            argv: [], fixedEnvironment: ["TOKEN": "t", "PATH": "/opt/bin"], inheritedEnvironment: ["LANG", "UNSET"])
        let more = HandlerEnvironment.variables(for: Self.entry, handler: "n", attempt: 1, action: listed, parent: parent)
        #expect(more["LANG"] == "C.UTF-8" && more["TOKEN"] == "t" && more["PATH"] == "/opt/bin")
        #expect(more["UNSET"] == nil && more["HOME"] == nil && more["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] == nil)
        #expect(more["VODHOOK_CALLBACK_KEYS"] == nil)
    }

    @Test("an uncorrelated event without job or status leaves those variables out")
    func sparseEnvironment() {
        let upload = HandlerMatchTests.event("FileUploadComplete", status: nil, media: "m", job: nil)
        let variables = HandlerEnvironment.variables(
            for: upload, handler: "h", attempt: 1, action: ExecAction(argv: []), parent: [:])
        #expect(variables["VODHOOK_JOB_ID"] == nil && variables["VODHOOK_STATUS"] == nil && variables["VODHOOK_AI_TYPE"] == nil)
        #expect(variables["VODHOOK_CORRELATED"] == "false" && variables["VODHOOK_SUBMISSION_SEQ"] == nil)
    }

    @Test("settable names: shell-style, never VODHOOK_*")
    func names() {
        #expect(
            HandlerEnvironment.isSettable("API_TOKEN") && HandlerEnvironment.isSettable("_x1")
                && HandlerEnvironment.isSettable("PATH"))
        for bad in ["", "1A", "A-B", "A B", "VODHOOK_SEQ", "VODHOOK_", "Ä"] {
            #expect(!HandlerEnvironment.isSettable(bad), "\(bad)")
        }
    }
}
