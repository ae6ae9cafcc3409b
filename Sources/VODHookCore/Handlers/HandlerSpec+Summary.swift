extension HandlerSpec {
    /// One line for `vodhook config check` and the start-up log: what it takes, what it does.
    /// Never an `env` value or an argv entry past the program, which may hold a secret.
    public var summary: String {
        "\(name): \(actionSummary) on \(match.summary); retry up to \(retry.maxAttempts) runs, backoff \(Self.span(retry.base)) to \(Self.span(retry.cap))"
    }

    private var actionSummary: String {
        switch action {
        case .write(let write):
            return "write \(write.content.rawValue) to \(write.dir)/\(write.template)"
        case .exec(let exec):
            let program = exec.argv.first?.text ?? "?"
            let env = exec.inheritedEnvironment.count + exec.fixedEnvironment.count
            return "exec \(program) (\(exec.argv.count - 1) arguments, timeout \(Self.span(exec.timeout)), "
                + "max_concurrent \(exec.maxConcurrent), \(env) env variables, output cap \(exec.outputCap) bytes, kill_after \(Self.span(exec.killAfter)))"
        case .resubmit(let resubmit):
            return "resubmit (up to \(resubmit.maxAttempts) jobs per chain, backoff \(Self.span(resubmit.backoff)), "
                + "confirm \(resubmit.confirm))"
        }
    }

    static func span(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        where milliseconds % size == 0 {
            return "\(milliseconds / size)\(unit)"
        }
        return "\(milliseconds)ms"
    }
}

extension HandlerMatch {
    /// `event AIVideoTagComplete status success`, or `every event`.
    public var summary: String {
        var parts: [String] = []
        if let eventTypes {
            parts.append(
                "event " + (eventTypes == Self.aiFamily ? Self.aiFamilyName : eventTypes.sorted().joined(separator: "|")))
        }
        if let statuses { parts.append("status " + statuses.sorted().joined(separator: "|")) }
        if let aiTypes { parts.append("ai_type " + aiTypes.sorted().joined(separator: "|")) }
        if let mediaPrefix { parts.append("media_prefix " + mediaPrefix.debugDescription) }
        if let correlated { parts.append(correlated ? "correlated" : "uncorrelated") }
        return parts.isEmpty ? "every event" : parts.joined(separator: " ")
    }
}
