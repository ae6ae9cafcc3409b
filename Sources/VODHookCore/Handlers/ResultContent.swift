import Foundation

/// What a `write` handler puts in its file.
public enum ResultContent {
    /// The file's bytes for an event body, or nil when the body is not a JSON object.
    ///
    /// - `raw`: the body as recorded.
    /// - `result`: the body's `Data`, decoded: VOD sends tag and DNA results as a JSON-encoded
    ///   string, which is written as the JSON it holds (verbatim, so no number loses digits); an
    ///   object (audit) as it is; `null` when there is none (a failed job). A `Data` string that
    ///   is not JSON is written as a JSON string.
    public static func bytes(of body: [UInt8], content: WriteAction.Content) -> [UInt8]? {
        switch content {
        case .raw:
            return body
        case .result:
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
            switch object["Data"] {
            case let text as String:
                let inner = Data(text.utf8)
                if (try? JSONSerialization.jsonObject(with: inner, options: .fragmentsAllowed)) != nil { return Array(inner) }
                return json(text)
            case nil, is NSNull:
                return Array("null".utf8)
            case let value?:
                return json(value)
            }
        }
    }

    private static func json(_ value: Any) -> [UInt8]? {
        (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])).map(
            Array.init)
    }
}
