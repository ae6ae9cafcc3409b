/// The environment of an `exec` handler's program: built from nothing, so vodhook's own
/// variables (its AccessKey above all) never reach it unless the handler lists them.
public enum HandlerEnvironment {
    /// `PATH` unless the handler sets its own.
    public static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

    /// `PATH`, the `VODHOOK_*` variables describing the event and the run, then the handler's
    /// `env`: names passed through from `parent` (when set there) and fixed values.
    public static func variables(
        for entry: LedgerEntry, handler: String, attempt: Int, action: ExecAction, parent: [String: String]
    ) -> [String: String] {
        var variables = ["PATH": defaultPath]
        let described: [(String, String?)] = [
            ("VODHOOK_HANDLER", handler),
            ("VODHOOK_ATTEMPT", String(attempt)),
            ("VODHOOK_SEQ", String(entry.seq)),
            ("VODHOOK_EVENT_TYPE", entry.eventType),
            ("VODHOOK_JOB_ID", entry.jobId),
            ("VODHOOK_MEDIA_ID", entry.mediaId),
            ("VODHOOK_STATUS", entry.status),
            ("VODHOOK_AI_TYPE", EventField.aiType.value(in: entry)),
            ("VODHOOK_CORRELATED", entry.submissionSeq == nil ? "false" : "true"),
            ("VODHOOK_SUBMISSION_SEQ", entry.submissionSeq.map { String($0) }),
        ]
        for case (let name, let value?) in described {
            variables[name] = value.filter { $0 != "\0" }
        }
        for name in action.inheritedEnvironment {
            if let value = parent[name] { variables[name] = value }
        }
        for (name, value) in action.fixedEnvironment { variables[name] = value }
        return variables
    }

    /// Names the handler may set: a shell-style name that is not one of vodhook's `VODHOOK_*`,
    /// which describe the event and must be trusted by the program.
    public static func isSettable(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !name.hasPrefix("VODHOOK_") else { return false }
        func letter(_ c: Unicode.Scalar) -> Bool { c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        return letter(first) && name.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }
}
