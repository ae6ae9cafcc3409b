/// A problem in the `handlers:` list, named by the handler and the key, as an operator reads it:
/// `handlers[2] "notify", exec.timeout (line 14): "soon" is not valid; expected a span such as 30s or 1m`.
///
/// Values are quoted only where they cannot be secret: never an `env` value or an argv entry.
public struct HandlerConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The handler's position in the list, from 1; nil for the `handlers` key itself.
    public var index: Int?
    /// The handler's name, once known.
    public var handler: String?
    /// The key under the handler, dotted (`exec.timeout`); empty for the entry as a whole.
    public var key: String
    /// The line in the file, from 1.
    public var line: Int?
    public var problem: String

    public init(index: Int?, handler: String?, key: String, line: Int?, problem: String) {
        self.index = index
        self.handler = handler
        self.key = key
        self.line = line
        self.problem = problem
    }

    public var description: String {
        var place = "handlers"
        if let index { place += "[\(index)]" }
        if let handler { place += " " + handler.debugDescription }
        if !key.isEmpty { place += (index == nil ? "." : ", ") + key }
        if let line { place += " (line \(line))" }
        return place + ": " + problem
    }
}

/// Every problem found in the `handlers:` list, in file order.
public struct HandlerConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [HandlerConfigError]

    public init(_ errors: [HandlerConfigError]) { self.errors = errors }

    /// One problem per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
