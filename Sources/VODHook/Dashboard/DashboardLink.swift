import Foundation

/// Paths of the dashboard's pages. A JobId comes from a callback body: percent-encoded, so one
/// holding `/`, `?` or `#` still links to its own page.
public enum DashboardLink {
    /// Unreserved characters only (RFC 3986): everything else is encoded, `/` included.
    private static let segment = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    public static func job(_ jobId: String) -> String {
        "/jobs/" + (jobId.addingPercentEncoding(withAllowedCharacters: segment) ?? "")
    }
}
