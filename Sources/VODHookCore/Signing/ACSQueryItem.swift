/// One query parameter as a name and a value, both *decoded* (plain text, not percent-encoded).
///
/// A list of these, not a dictionary, so that order and repeats on the wire stay visible to the
/// signature checker.
public struct ACSQueryItem: Sendable, Hashable {
    /// The parameter name, e.g. `MediaId`.
    public var name: String
    /// The parameter value, e.g. `AIVideoTag,AIMediaDNA`.
    public var value: String

    /// Creates an item from a decoded name and value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Items from a dictionary, in canonical order (so the result does not depend on hashing).
    public static func items(_ dictionary: [String: String]) -> [ACSQueryItem] {
        dictionary.map { ACSQueryItem(name: $0.key, value: $0.value) }.sorted(by: canonicalOrder)
    }

    /// The signing order: by the UTF-8 bytes of the name, case-sensitive (`Z` before `a`),
    /// then by the bytes of the value so that repeated names still sort deterministically.
    public static func canonicalOrder(_ lhs: ACSQueryItem, _ rhs: ACSQueryItem) -> Bool {
        // Swift's String `<` compares canonically-equivalent forms, not bytes; the signature is over bytes.
        if lhs.name.utf8.elementsEqual(rhs.name.utf8) {
            return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
        }
        return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
    }
}
