/// Recognises the text of an IPv4 or IPv6 address, the way a proxy writes it into
/// `X-Forwarded-For`, and gives it one spelling so that configured and received addresses compare.
/// Only the shape is checked: enough to refuse a host name, a port or stray text in a header.
public enum IPAddressText {
    /// The address in lower case, or nil when `text` is not an IPv4 or IPv6 address.
    public static func normalized(_ text: some StringProtocol) -> String? {
        let value = String(text).lowercased()
        if isIPv4(value[...]) { return value }
        return isIPv6(value) ? value : nil
    }

    private static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit)
                    && (part.count == 1 || part.first != "0") && (Int(part) ?? 256) <= 255
            }
    }

    /// Eight groups of up to four hex digits, at most one `::`, an IPv4 tail allowed.
    private static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), text.count <= 45 else { return false }
        var groups = text.split(separator: ":", omittingEmptySubsequences: false)
        // Empty groups come from "::" (one, or two or three at an end); any other empty group is a typo.
        let empty = groups.indices.filter { groups[$0].isEmpty }
        let compressed = !empty.isEmpty
        guard empty.count <= 3, empty.last.map({ $0 - empty[0] == empty.count - 1 }) ?? true, !text.contains(":::") else {
            return false
        }
        if compressed, !text.contains("::") { return false }
        var width = 0
        if let last = groups.last, last.contains(".") {
            guard isIPv4(last) else { return false }
            groups.removeLast()
            width += 2
        }
        let filled = groups.filter { !$0.isEmpty }
        guard filled.allSatisfy({ $0.count <= 4 && $0.allSatisfy(\.isHexDigit) }) else { return false }
        width += filled.count
        return compressed ? width < 8 : (width == 8 && filled.count == groups.count)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
