extension JSONValue: Codable {
    /// Decodes whatever JSON value the decoder holds; throws only if it is none of the six kinds
    /// (with Foundation: a number that does not fit a `Double`, such as `1e400`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Decoder has no "peek the kind" call, so kinds are tried in the order VOD bodies
        // most often contain them; a mismatch is a cheap early failure.
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let members = try? container.decode([String: JSONValue].self) {
            self = .object(members)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let integer = try? container.decode(Int64.self) {
            // Foundation's Double decode refuses a zero with an unsigned exponent (`0e1`, `0E6`),
            // valid JSON that its integer decode reads (as 0); found by fuzzing (fuzz-json).
            self = .number(Double(integer))
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a JSON value representable as JSONValue")
        }
    }

    /// Encodes the value as the matching JSON kind.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}
