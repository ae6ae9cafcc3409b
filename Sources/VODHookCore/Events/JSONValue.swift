/// Any JSON value, kept losslessly enough to store unknown fields and re-encode them.
///
/// Numbers are `Double` (as Foundation parses them): integers beyond 2^53 lose precision,
/// which is why VOD's own large numbers travel as strings and stay strings here.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member named `key` when this is an object that has it; otherwise nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The element at `index` when this is an array and the index is in range; otherwise nil.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The text when this is a string; nil for every other kind (no conversion).
    public var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// The number when this is a number; nil otherwise.
    public var doubleValue: Double? {
        guard case .number(let number) = self else { return nil }
        return number
    }

    /// The number when this is a number with an exact `Int64` value; nil otherwise.
    public var int64Value: Int64? {
        guard case .number(let number) = self else { return nil }
        return Int64(exactly: number)
    }

    /// The flag when this is a boolean; nil otherwise.
    public var boolValue: Bool? {
        guard case .bool(let flag) = self else { return nil }
        return flag
    }

    /// The elements when this is an array; nil otherwise.
    public var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// The members when this is an object; nil otherwise.
    public var objectValue: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    /// True exactly when this is JSON `null`.
    public var isNull: Bool { self == .null }
}
