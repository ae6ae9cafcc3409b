import Testing
import VODHookCore

@Suite("Handler configuration")
struct HandlerConfigTests {
    static func parse(_ yaml: String) throws(HandlerConfigErrors) -> [HandlerSpec] {
        try HandlerConfig.parse(yaml: Array(yaml.utf8))
    }

    /// The problems of a config that must be refused.
    static func problems(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> [HandlerConfigError] {
        do {
            let specs = try parse(yaml)
            Issue.record("accepted: \(specs)", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.errors
        }
    }

    static let issueExample = """
        max_skew: 60
        handlers:
          - name: save
            match: { event: VideoAIComplete, status: success }
            write: { dir: /var/lib/vodhook/results }
          - name: notify
            match: { event: AIVideoTagComplete }
            exec: { argv: ["/usr/local/bin/notify", "--job", "{job_id}"], timeout: 30s, max_concurrent: 4 }
          - name: retry
            match: { event: VideoAIComplete, status: fail }
            resubmit: { max_attempts: 3, backoff: 1m, confirm: true }
        """

    @Test("the issue's example reads as three handlers with the family expanded")
    func issueExample() throws {
        let specs = try Self.parse(Self.issueExample)
        #expect(specs.map(\.name) == ["save", "notify", "retry"])
        #expect(specs[0].match.eventTypes == ["AIVideoTagComplete", "AIMediaDNAComplete", "AIMediaAuditComplete"])
        #expect(specs[0].match.statuses == ["success"])
        #expect(specs[0].action == .write(WriteAction(dir: "/var/lib/vodhook/results", content: .raw, template: .standard)))
        guard case .exec(let exec) = specs[1].action else {
            Issue.record("notify is \(specs[1].action)")
            return
        }
        #expect(exec.argv.map(\.text) == ["/usr/local/bin/notify", "--job", "{job_id}"])
        #expect(exec.timeout == .seconds(30))
        #expect(exec.maxConcurrent == 4)
        #expect(exec.fixedEnvironment.isEmpty && exec.inheritedEnvironment.isEmpty)
        #expect(specs[1].match.eventTypes == ["AIVideoTagComplete"])
        #expect(specs[2].action == .resubmit(ResubmitAction(maxAttempts: 3, backoff: .seconds(60), confirm: true)))
        #expect(specs.allSatisfy { $0.retry == HandlerSpec.defaultRetry })
    }

    @Test("no handlers key, a null one or an empty file: no handlers")
    func none() throws {
        #expect(try Self.parse("max_skew: 60\n").isEmpty)
        #expect(try Self.parse("handlers:\n").isEmpty)
        #expect(try Self.parse("").isEmpty)
        #expect(try Self.parse("handlers: []\n").isEmpty)
    }

    @Test("every option set, with defaults where left out")
    func everyOption() throws {
        let specs = try Self.parse(
            """
            handlers:
              - name: all-of-it
                match:
                  event: [AIMediaDNAComplete, FileUploadComplete]
                  status: [success, fail]
                  ai_type: AIMediaDNA
                  media_prefix: "4fef"
                  correlated: yes
                write: { dir: results, content: result, template: "{ai_type}/{media_id}-{job_id}.json" }
                retry: { max_attempts: 9, backoff: 2s, max_backoff: 1h }
              - name: run_it
                exec:
                  argv: [/bin/echo, "{seq}", '{"literal":1}']
                  env: { API_TOKEN: "t0ken-value", PATH: /opt/bin }
                  cwd: /tmp
                  output_cap: 1MiB
                  kill_after: 2s
              - name: pass
                exec: { argv: [/bin/true], env: [HOME, LANG] }
            """)
        let match = specs[0].match
        #expect(match.eventTypes == ["AIMediaDNAComplete", "FileUploadComplete"])
        #expect(match.statuses == ["success", "fail"])
        #expect(match.aiTypes == ["AIMediaDNA"])
        #expect(match.mediaPrefix == "4fef")
        #expect(match.correlated == true)
        guard case .write(let write) = specs[0].action, case .exec(let exec) = specs[1].action,
            case .exec(let pass) = specs[2].action
        else {
            Issue.record("actions: \(specs.map(\.action))")
            return
        }
        #expect(write.dir == "results" && write.content == .result)
        #expect(write.template.description == "{ai_type}/{media_id}-{job_id}.json")
        #expect(specs[0].retry == Backoff(base: .seconds(2), cap: .seconds(3600), maxAttempts: 9))
        #expect(exec.argv.map(\.text) == ["/bin/echo", "{seq}", "{\"literal\":1}"])
        #expect(exec.fixedEnvironment == ["API_TOKEN": "t0ken-value", "PATH": "/opt/bin"])
        #expect(exec.cwd == "/tmp" && exec.outputCap == 1 << 20)
        #expect(exec.timeout == ExecAction.defaultTimeout && exec.maxConcurrent == 1 && exec.killAfter == .seconds(2))
        #expect(pass.killAfter == ExecAction.defaultKillAfter)
        #expect(pass.inheritedEnvironment == ["HOME", "LANG"])
        #expect(specs[1].match == HandlerMatch())
    }

    @Test("an unknown key is refused at every level, naming the handler, the key and the line")
    func unknownKeys() {
        let problems = Self.problems(
            """
            handlers:
              - name: save
                match: { event: VideoAIComplete, stauts: success }
                write: { dir: /r, dirr: /s }
                retries: 3
              - name: run
                exec: { argv: [/bin/true], timout: 5s }
            """)
        #expect(
            problems.map(\.description) == [
                "handlers[1] \"save\", retries (line 5): unknown key; expected one of name, match, write, exec, resubmit, retry",
                "handlers[1] \"save\", match.stauts (line 3): unknown key; expected one of event, status, ai_type, media_prefix, correlated",
                "handlers[1] \"save\", write.dirr (line 4): unknown key; expected one of dir, content, template",
                "handlers[2] \"run\", exec.timout (line 7): unknown key; expected one of argv, timeout, kill_after, max_concurrent, env, cwd, output_cap",
            ])
    }

    @Test("bad values name the key and say what was expected")
    func badValues() {
        let problems = Self.problems(
            """
            handlers:
              - name: a
                exec: { argv: [/bin/true], timeout: soon, max_concurrent: 0, output_cap: 10MB, kill_after: 0s }
              - name: b
                resubmit: { max_attempts: many, backoff: -1m, confirm: maybe }
                match: { event: VideoAIComplete }
              - name: c
                write: { dir: /r, content: decoded }
                match: { correlated: sometimes }
                retry: { backoff: 1h, max_backoff: 1m }
            """)
        let text = problems.map(\.description)
        #expect(
            text == [
                "handlers[1] \"a\", exec.timeout (line 3): \"soon\" is not valid; expected a span greater than 0 such as 30s, 1m, 2h or 1d",
                "handlers[1] \"a\", exec.kill_after (line 3): \"0s\" is not valid; expected a span greater than 0 such as 30s, 1m, 2h or 1d",
                "handlers[1] \"a\", exec.max_concurrent (line 3): \"0\" is not valid; expected a whole number from 1 to 1000",
                "handlers[1] \"a\", exec.output_cap (line 3): \"10MB\" is not valid; expected \(ByteSize.expected)",
                "handlers[2] \"b\", resubmit.max_attempts (line 5): \"many\" is not valid; expected a whole number from 1 to 1000",
                "handlers[2] \"b\", resubmit.backoff (line 5): \"-1m\" is not valid; expected a span greater than 0 such as 30s, 1m, 2h or 1d",
                "handlers[2] \"b\", resubmit.confirm (line 5): \"maybe\" is not valid; expected true or false",
                "handlers[3] \"c\", match.correlated (line 9): \"sometimes\" is not valid; expected true or false",
                "handlers[3] \"c\", write.content (line 8): \"decoded\" is not valid; expected raw or result",
                "handlers[3] \"c\", retry.backoff (line 10): longer than retry.max_backoff (1m); expected backoff ≤ max_backoff",
            ])
    }

    @Test("a handler needs a valid, unique name and exactly one action")
    func nameAndAction() {
        let problems = Self.problems(
            """
            handlers:
              - match: { event: VideoAIComplete }
                write: { dir: /r }
              - name: "bad name!"
                write: { dir: /r }
              - name: twice
                write: { dir: /r }
              - name: twice
                write: { dir: /s }
              - name: idle
                match: { status: success }
              - name: greedy
                write: { dir: /r }
                exec: { argv: [/bin/true] }
              - just a string
            """)
        #expect(
            problems.map(\.description) == [
                "handlers[1], name (line 2): missing; every handler needs a unique name",
                "handlers[2], name (line 4): \"bad name!\" is not valid; expected 1 to 64 letters, digits, '-' or '_'",
                "handlers[4] \"twice\", name (line 8): \"twice\" is already the name of handlers[3]; names must be unique",
                "handlers[5] \"idle\" (line 10): no action; expected exactly one of write, exec or resubmit",
                "handlers[6] \"greedy\", exec (line 14): a second action (with write); expected exactly one of write, exec or resubmit",
                "handlers[7] (line 15): expected each handler to be a mapping of name, match, write, exec, resubmit, retry",
            ])
    }

    @Test("handlers must be a list")
    func notAList() {
        #expect(
            Self.problems("handlers: { name: save }\n").map(\.description)
                == ["handlers (line 1): expected a list of handlers (`- name: …` entries)"])
        #expect(Self.problems("handlers: save\n").count == 1)
    }

    @Test("exec: the program is an absolute path, placeholders are known, env names are safe and values never shown")
    func execChecks() {
        let problems = Self.problems(
            """
            handlers:
              - name: rel
                exec: { argv: [notify, "{jobid}"] }
              - name: env
                exec: { argv: [/bin/true], env: { VODHOOK_JOB_ID: forged, "1BAD": x, TOKEN: [s3cretvalue] } }
              - name: empty
                exec: { argv: [] }
              - name: missing
                exec: { cwd: /tmp }
            """)
        let text = problems.map(\.description)
        #expect(
            text == [
                "handlers[1] \"rel\", exec.argv[0] (line 3): the program must be an absolute path (no PATH search, no shell)",
                "handlers[1] \"rel\", exec.argv[1] (line 3): unknown placeholder {jobid}; expected one of {job_id}, {media_id}, {status}, {event_type}, {seq}, {ai_type}",
                "handlers[2] \"env\", exec.env (line 5): \"VODHOOK_JOB_ID\" cannot be set: VODHOOK_* variables describe the event and are set by vodhook",
                "handlers[2] \"env\", exec.env (line 5): \"1BAD\" cannot be set: expected a name such as API_TOKEN",
                "handlers[2] \"env\", exec.env.TOKEN (line 5): not valid (value hidden); expected a string without NUL",
                "handlers[3] \"empty\", exec.argv (line 7): expected a non-empty list: the program's absolute path, then its arguments",
                "handlers[4] \"missing\", exec.argv (line 9): missing; expected a list: the program's absolute path, then its arguments",
            ])
        #expect(!text.joined().contains("s3cretvalue") && !text.joined().contains("forged"))
    }

    @Test("write: dir is required and a template cannot leave it")
    func writeChecks() {
        let problems = Self.problems(
            """
            handlers:
              - name: nodir
                write: { content: raw }
              - name: up
                write: { dir: /r, template: "../{job_id}.json" }
              - name: abs
                write: { dir: /r, template: "/etc/{job_id}" }
              - name: dot
                write: { dir: /r, template: "{media_id}/./x" }
              - name: empty-part
                write: { dir: /r, template: "{media_id}//x" }
              - name: trailing
                write: { dir: /r, template: "{media_id}/" }
              - name: unknown
                write: { dir: /r, template: "{user_data}.json" }
            """)
        #expect(
            problems.map(\.key) == [
                "write.dir", "write.template", "write.template", "write.template", "write.template", "write.template",
                "write.template",
            ])
        #expect(problems[1].problem.contains("\"..\""))
        #expect(problems[2].problem.contains("absolute"))
        #expect(problems[6].problem.contains("{user_data}"))
    }

    @Test("resubmit only takes failed AI events, and defaults the status to fail")
    func resubmitMatch() throws {
        let problems = Self.problems(
            """
            handlers:
              - name: any
                resubmit: {}
              - name: upload
                match: { event: [VideoAIComplete, FileUploadComplete] }
                resubmit: {}
              - name: success
                match: { event: AIVideoTagComplete, status: success }
                resubmit: {}
            """)
        #expect(
            problems.map(\.description) == [
                "handlers[1] \"any\", match.event (line 2): resubmit acts on AI jobs only; expected match.event to be VideoAIComplete or AI…Complete types",
                "handlers[2] \"upload\", match.event (line 5): resubmit acts on AI jobs only; expected match.event to be VideoAIComplete or AI…Complete types",
                "handlers[3] \"success\", match.status (line 8): resubmit acts on failed jobs only; expected status fail (or no status)",
            ])
        let specs = try Self.parse("handlers:\n  - name: r\n    match: { event: VideoAIComplete }\n    resubmit: {}\n")
        #expect(specs[0].match.statuses == ["fail"])
        #expect(specs[0].action == .resubmit(ResubmitAction()))
    }

    @Test("every handler's summary names its action, its match and its retry, and hides env values and arguments")
    func summary() throws {
        let specs = try Self.parse(
            Self.issueExample + """

                  - name: secret
                    exec: { argv: [/bin/notify, "--token=hunter2"], env: { TOKEN: hunter3 } }
                """)
        let lines = specs.map(\.summary)
        #expect(
            lines[0]
                == "save: write raw to /var/lib/vodhook/results/{media_id}/{job_id}.{ai_type}.json on event VideoAIComplete status success; retry up to 5 runs, backoff 10s to 10m"
        )
        #expect(
            lines[1].hasPrefix("notify: exec /usr/local/bin/notify (2 arguments, timeout 30s, max_concurrent 4, 0 env variables"))
        #expect(
            lines[2].hasPrefix(
                "retry: resubmit (up to 3 jobs per chain, backoff 1m, confirm true) on event VideoAIComplete status fail"))
        #expect(!lines[3].contains("hunter2") && !lines[3].contains("hunter3"))
    }
}
