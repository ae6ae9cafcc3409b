/// One HTTP header as a name and a value, in the order it is sent or was received.
public struct ACSHeader: Sendable, Hashable {
    /// The header name as given; signing lower-cases it.
    public var name: String
    /// The header value as given; signing trims surrounding whitespace.
    public var value: String

    /// Creates a header.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
