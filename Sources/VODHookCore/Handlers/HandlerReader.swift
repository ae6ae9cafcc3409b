internal import Yams

/// Reads one entry of the `handlers:` list, collecting a ``HandlerConfigError`` for each problem
/// instead of stopping at the first, so `vodhook config check` lists them all.
struct HandlerReader {
    let index: Int
    private(set) var name: String?
    private(set) var errors: [HandlerConfigError] = []

    init(index: Int) { self.index = index }

    static let entryKeys = ["name", "match", "write", "exec", "resubmit", "retry"]
    static let matchKeys = ["event", "status", "ai_type", "media_prefix", "correlated"]
    static let writeKeys = ["dir", "content", "template"]
    static let execKeys = ["argv", "timeout", "kill_after", "max_concurrent", "env", "cwd", "output_cap"]
    static let resubmitKeys = ["max_attempts", "backoff", "confirm"]
    static let retryKeys = ["max_attempts", "backoff", "max_backoff"]
    static let actionKeys = ["write", "exec", "resubmit"]

    static let expectedSpan = "a span greater than 0 such as 30s, 1m, 2h or 1d"
    static let expectedBool = "true or false"
    /// Far above any sane setting; keeps a typo (`max_concurrent: 4000000`) from meaning "unbounded".
    static let countLimit = 1000

    mutating func fail(_ key: String, _ node: Node?, _ problem: String) {
        errors.append(HandlerConfigError(index: index, handler: name, key: key, line: node?.line, problem: problem))
    }

    /// The handler, or nil when it has problems (recorded in ``errors``).
    mutating func handler(_ node: Node) -> HandlerSpec? {
        // The name first, so that every problem of the entry, an unknown key included, names it.
        if let text = node.mapping?["name"]?.scalar?.string, Self.isValidName(text) { name = text }
        let before = errors.count
        guard let fields = mapping(node, key: "", known: Self.entryKeys) else { return nil }
        if let nameNode = fields["name"] {
            if name == nil, scalar(nameNode, key: "name") != nil {
                fail("name", nameNode, "\(shown(nameNode)) is not valid; expected 1 to 64 letters, digits, '-' or '_'")
            }
        } else {
            fail("name", node, "missing; every handler needs a unique name")
        }
        let match = fields["match"].flatMap { self.match($0) } ?? HandlerMatch()
        let actions = Self.actionKeys.filter { fields[$0] != nil }
        var action: HandlerAction?
        switch actions.count {
        case 1:
            let key = actions[0]
            guard let actionNode = fields[key] else { break }
            switch key {
            case "write": action = write(actionNode).map(HandlerAction.write)
            case "exec": action = exec(actionNode).map(HandlerAction.exec)
            default: action = resubmit(actionNode).map(HandlerAction.resubmit)
            }
        case 0:
            fail("", node, "no action; expected exactly one of write, exec or resubmit")
        default:
            fail(
                actions[1], fields[actions[1]],
                "a second action (with \(actions[0])); expected exactly one of write, exec or resubmit")
        }
        let retry = fields["retry"].flatMap { self.retry($0) } ?? HandlerSpec.defaultRetry
        guard errors.count == before, let name, let action else { return nil }
        var spec = HandlerSpec(name: name, match: match, action: action, retry: retry)
        if case .resubmit = action { checkResubmitMatch(&spec.match, fields["match"] ?? node) }
        return errors.count == before ? spec : nil
    }

    static func isValidName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            }
    }

    // MARK: Sections

    private mutating func match(_ node: Node) -> HandlerMatch? {
        guard let fields = mapping(node, key: "match", known: Self.matchKeys) else { return nil }
        var match = HandlerMatch()
        if let events = fields["event"], let names = stringList(events, key: "match.event") {
            for name in names where !Self.isEventTypeName(name) {
                fail(
                    "match.event", events,
                    "\(name.debugDescription) is not an event type; expected names such as VideoAIComplete, AIVideoTagComplete or FileUploadComplete"
                )
            }
            match.eventTypes = names.reduce(into: Set()) { $0.formUnion(HandlerMatch.expand(eventType: $1)) }
        }
        if let statuses = fields["status"], let values = stringList(statuses, key: "match.status") {
            match.statuses = Set(values)
        }
        if let types = fields["ai_type"], let values = stringList(types, key: "match.ai_type") {
            for value in values where !Self.isEventTypeName(value) || !value.hasPrefix("AI") {
                fail(
                    "match.ai_type", types,
                    "\(value.debugDescription) is not an AI type; expected names such as AIVideoTag, AIMediaDNA or AIMediaAudit")
            }
            match.aiTypes = Set(values)
        }
        if let prefix = fields["media_prefix"] {
            match.mediaPrefix = scalar(prefix, key: "match.media_prefix")
        }
        if let correlated = fields["correlated"] {
            match.correlated = bool(correlated, key: "match.correlated")
        }
        return match
    }

    private mutating func write(_ node: Node) -> WriteAction? {
        guard let fields = mapping(node, key: "write", known: Self.writeKeys) else { return nil }
        var action = WriteAction(dir: "")
        if let dir = fields["dir"] {
            action.dir = path(dir, key: "write.dir") ?? ""
        } else {
            fail("write.dir", node, "missing; expected the directory to write results into")
        }
        if let content = fields["content"], let text = scalar(content, key: "write.content") {
            if let value = WriteAction.Content(rawValue: text) {
                action.content = value
            } else {
                fail("write.content", content, "\(text.debugDescription) is not valid; expected raw or result")
            }
        }
        if let template = fields["template"], let text = scalar(template, key: "write.template") {
            do {
                action.template = try PathTemplate(parsing: text)
            } catch {
                fail("write.template", template, error.description)
            }
        }
        return action
    }

    private mutating func exec(_ node: Node) -> ExecAction? {
        guard let fields = mapping(node, key: "exec", known: Self.execKeys) else { return nil }
        var action = ExecAction(argv: [])
        if let argvNode = fields["argv"] {
            if let sequence = argvNode.sequence, !sequence.isEmpty {
                for (offset, item) in sequence.enumerated() {
                    let key = "exec.argv[\(offset)]"
                    guard let text = scalar(item, key: key) else { continue }
                    if offset == 0, !text.hasPrefix("/") {
                        fail(key, item, "the program must be an absolute path (no PATH search, no shell)")
                    }
                    if text.contains("\0") { fail(key, item, "contains NUL") }
                    do {
                        action.argv.append(try FieldTemplate(parsing: text))
                    } catch {
                        fail(key, item, error.description)
                    }
                }
            } else {
                fail("exec.argv", argvNode, "expected a non-empty list: the program's absolute path, then its arguments")
            }
        } else {
            fail("exec.argv", node, "missing; expected a list: the program's absolute path, then its arguments")
        }
        if let timeout = fields["timeout"], let value = span(timeout, key: "exec.timeout") { action.timeout = value }
        if let grace = fields["kill_after"], let value = span(grace, key: "exec.kill_after") { action.killAfter = value }
        if let concurrent = fields["max_concurrent"], let value = count(concurrent, key: "exec.max_concurrent") {
            action.maxConcurrent = value
        }
        if let env = fields["env"] { environment(env, into: &action) }
        if let cwd = fields["cwd"] { action.cwd = path(cwd, key: "exec.cwd") }
        if let cap = fields["output_cap"], let text = scalar(cap, key: "exec.output_cap") {
            if let bytes = ByteSize.parse(text) {
                action.outputCap = bytes
            } else {
                fail("exec.output_cap", cap, "\(text.debugDescription) is not valid; expected \(ByteSize.expected)")
            }
        }
        return action
    }

    /// `env: [NAME, …]` passes variables through; `env: {NAME: value}` sets them. Values are never shown.
    private mutating func environment(_ node: Node, into action: inout ExecAction) {
        let expected = "expected a list of variable names to pass through, or a mapping of names to values"
        if let sequence = node.sequence {
            for (offset, item) in sequence.enumerated() {
                guard let name = scalar(item, key: "exec.env[\(offset)]") else { continue }
                if checkVariableName(name, item) { action.inheritedEnvironment.append(name) }
            }
        } else if let mapping = node.mapping {
            for (keyNode, valueNode) in mapping {
                guard let name = keyNode.string, keyNode.scalar != nil else {
                    fail("exec.env", keyNode, "a key is not a plain name; \(expected)")
                    continue
                }
                guard checkVariableName(name, keyNode) else { continue }
                guard let value = valueNode.scalar?.string, valueNode.null == nil, !value.contains("\0") else {
                    fail("exec.env.\(name)", valueNode, "not valid (value hidden); expected a string without NUL")
                    continue
                }
                action.fixedEnvironment[name] = value
            }
        } else {
            fail("exec.env", node, expected)
        }
    }

    private mutating func checkVariableName(_ name: String, _ node: Node) -> Bool {
        guard HandlerEnvironment.isSettable(name) else {
            let why =
                name.hasPrefix("VODHOOK_")
                ? "VODHOOK_* variables describe the event and are set by vodhook" : "expected a name such as API_TOKEN"
            fail("exec.env", node, "\(name.debugDescription) cannot be set: \(why)")
            return false
        }
        return true
    }

    private mutating func resubmit(_ node: Node) -> ResubmitAction? {
        guard let fields = mapping(node, key: "resubmit", known: Self.resubmitKeys) else { return nil }
        var action = ResubmitAction()
        if let attempts = fields["max_attempts"], let value = count(attempts, key: "resubmit.max_attempts") {
            action.maxAttempts = value
        }
        if let backoff = fields["backoff"], let value = span(backoff, key: "resubmit.backoff") { action.backoff = value }
        if let confirm = fields["confirm"], let value = bool(confirm, key: "resubmit.confirm") { action.confirm = value }
        return action
    }

    /// A resubmit acts on failed AI jobs only: its match must say so, and `status` defaults to `fail`.
    private mutating func checkResubmitMatch(_ match: inout HandlerMatch, _ node: Node) {
        let nonAI = match.eventTypes.map { $0.filter { !SubmissionRecord.isAICompletion($0) } } ?? []
        if match.eventTypes == nil || !nonAI.isEmpty {
            fail(
                "match.event", node,
                "resubmit acts on AI jobs only; expected match.event to be VideoAIComplete or AI…Complete types")
        }
        if let statuses = match.statuses, statuses != ["fail"] {
            fail("match.status", node, "resubmit acts on failed jobs only; expected status fail (or no status)")
        }
        match.statuses = ["fail"]
    }

    private mutating func retry(_ node: Node) -> Backoff? {
        guard let fields = mapping(node, key: "retry", known: Self.retryKeys) else { return nil }
        var retry = HandlerSpec.defaultRetry
        if let attempts = fields["max_attempts"], let value = count(attempts, key: "retry.max_attempts") {
            retry.maxAttempts = value
        }
        if let backoff = fields["backoff"], let value = span(backoff, key: "retry.backoff") { retry.base = value }
        if let cap = fields["max_backoff"], let value = span(cap, key: "retry.max_backoff") { retry.cap = value }
        if retry.base > retry.cap {
            fail(
                "retry.backoff", node,
                "longer than retry.max_backoff (\(HandlerSpec.span(retry.cap))); expected backoff ≤ max_backoff")
        }
        return retry
    }

    // MARK: Values

    /// The mapping's values by key, unknown keys refused; nil (with an error) if it is no mapping.
    private mutating func mapping(_ node: Node, key: String, known: [String]) -> [String: Node]? {
        guard let mapping = node.mapping else {
            let what = key.isEmpty ? "each handler" : key
            fail(key, node, "expected \(what) to be a mapping of \(known.joined(separator: ", "))")
            return nil
        }
        var fields: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let dotted = key.isEmpty ? (keyNode.string ?? "?") : key + "." + (keyNode.string ?? "?")
            guard keyNode.scalar != nil, let name = keyNode.string, known.contains(name) else {
                fail(dotted, keyNode, "unknown key; expected one of \(known.joined(separator: ", "))")
                continue
            }
            fields[name] = value.null == nil ? value : nil
        }
        return fields
    }

    private mutating func scalar(_ node: Node, key: String) -> String? {
        guard let text = node.scalar?.string else {
            fail(key, node, "expected a single value, not a \(node.sequence != nil ? "list" : "mapping")")
            return nil
        }
        return text
    }

    /// One string or a list of them; never empty.
    private mutating func stringList(_ node: Node, key: String) -> [String]? {
        let items = node.sequence.map(Array.init) ?? [node]
        var values: [String] = []
        for item in items {
            guard let text = scalar(item, key: key) else { return nil }
            guard !text.isEmpty else {
                fail(key, item, "an empty value; expected a name")
                return nil
            }
            values.append(text)
        }
        guard !values.isEmpty else {
            fail(key, node, "an empty list; leave the key out to match any value")
            return nil
        }
        return values
    }

    private mutating func bool(_ node: Node, key: String) -> Bool? {
        guard let text = scalar(node, key: key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(key, node, "\(text.debugDescription) is not valid; expected \(Self.expectedBool)")
            return nil
        }
    }

    private mutating func count(_ node: Node, key: String) -> Int? {
        guard let text = scalar(node, key: key) else { return nil }
        guard let value = Int(text), (1...Self.countLimit).contains(value) else {
            fail(key, node, "\(text.debugDescription) is not valid; expected a whole number from 1 to \(Self.countLimit)")
            return nil
        }
        return value
    }

    private mutating func span(_ node: Node, key: String) -> Duration? {
        guard let text = scalar(node, key: key) else { return nil }
        guard let milliseconds = TimeSpec.duration(text.trimmingWhitespace()), milliseconds > 0 else {
            fail(key, node, "\(text.debugDescription) is not valid; expected \(Self.expectedSpan)")
            return nil
        }
        return .milliseconds(milliseconds)
    }

    private mutating func path(_ node: Node, key: String) -> String? {
        guard let text = scalar(node, key: key) else { return nil }
        guard !text.isEmpty, !text.contains("\0") else {
            fail(key, node, "not valid; expected a non-empty path")
            return nil
        }
        return text
    }

    private func shown(_ node: Node) -> String { (node.string ?? "").debugDescription }

    /// An `EventType` as VOD spells them: ASCII letters and digits.
    static func isEventTypeName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
