/// How `serve` writes its log lines.
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// One human-readable line per message (the default).
    case text
    /// One JSON object per line, for log shippers.
    case json
}
