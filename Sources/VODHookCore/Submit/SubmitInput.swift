import Foundation

/// Reads `vodhook submit --from FILE`: MediaIds one a line, or JSON Lines with `media_id` and
/// optional `types`, `ai_config` and `user_data` per line. Blank lines and `#` comments are
/// skipped. The whole file is checked before anything is submitted, so a typo on line 900
/// stops the batch before it starts, not in the middle.
public enum SubmitInput {
    /// The defaults a line may leave out: `--types`, `--ai-config`, `--user-data`.
    public struct Defaults: Sendable {
        public var types: [String]
        public var aiConfig: String?
        public var userData: String?

        public init(types: [String], aiConfig: String? = nil, userData: String? = nil) {
            self.types = types
            self.aiConfig = aiConfig
            self.userData = userData
        }
    }

    /// The items of a file, in order; a media listed twice is an error (it would be submitted twice).
    public static func parse(_ text: String, defaults: Defaults) throws(SubmitInputError) -> [SubmitItem] {
        var items: [SubmitItem] = []
        var firstLine: [String: Int] = [:]
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let item =
                line.hasPrefix("{")
                ? try jsonItem(line, number: number, defaults: defaults)
                : try plainItem(line, number: number, defaults: defaults)
            if let earlier = firstLine[item.mediaId] {
                throw SubmitInputError(line: number, "media \(item.mediaId) is already on line \(earlier)")
            }
            firstLine[item.mediaId] = number
            items.append(item)
        }
        return items
    }

    /// Checks one item's values: a usable MediaId, known types, JSON objects for the JSON parameters.
    public static func validate(_ item: SubmitItem) throws(SubmitInputError) {
        try validate(item, line: nil)
    }

    private static func plainItem(_ line: String, number: Int, defaults: Defaults) throws(SubmitInputError) -> SubmitItem {
        let item = SubmitItem(
            mediaId: line, types: defaults.types, aiConfig: defaults.aiConfig,
            userData: defaults.userData, origin: "line \(number)")
        try validate(item, line: number)
        return item
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The property names are the input's JSON keys.
    private struct JSONLine: Decodable {
        var media_id: String?
        var types: TypesField?
        var ai_config: JSONText?
        var user_data: JSONText?
    }

    /// `types` as `"AIVideoTag,AIMediaDNA"` or `["AIVideoTag", "AIMediaDNA"]`.
    private struct TypesField: Decodable {
        var values: [String]
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([String].self) {
                values = list
            } else {
                values = SubmitInput.splitTypes(try container.decode(String.self))
            }
        }
    }

    /// A JSON parameter given as a string holding JSON, or as the JSON object itself.
    private struct JSONText: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                text = String(decoding: try encoder.encode(container.decode(JSONValue.self)), as: UTF8.self)
            }
        }
    }

    private static func jsonItem(_ line: String, number: Int, defaults: Defaults) throws(SubmitInputError) -> SubmitItem {
        let fields: JSONLine
        do {
            fields = try JSONDecoder().decode(JSONLine.self, from: Data(line.utf8))
        } catch {
            throw SubmitInputError(line: number, "not a JSON object with media_id, types, ai_config, user_data")
        }
        guard let mediaId = fields.media_id else { throw SubmitInputError(line: number, "no media_id") }
        let item = SubmitItem(
            mediaId: mediaId, types: fields.types?.values ?? defaults.types,
            aiConfig: fields.ai_config?.text ?? defaults.aiConfig, userData: fields.user_data?.text ?? defaults.userData,
            origin: "line \(number)")
        try validate(item, line: number)
        return item
    }

    private static func validate(_ item: SubmitItem, line: Int?) throws(SubmitInputError) {
        let id = item.mediaId
        guard !id.isEmpty, id.utf8.count <= 128,
            id.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && $0 != "," })
        else {
            throw SubmitInputError(line: line, "\"\(id.prefix(64))\" is not a MediaId (ASCII, no spaces or commas)")
        }
        guard !item.types.isEmpty else { throw SubmitInputError(line: line, "no AI types; give --types") }
        for type in item.types where !SubmitItem.knownTypes.contains(type) {
            throw SubmitInputError(
                line: line, "unknown AI type \"\(type)\"; SubmitAIJob takes \(SubmitItem.knownTypes.joined(separator: ", "))")
        }
        if Set(item.types).count != item.types.count {
            throw SubmitInputError(line: line, "a type is listed twice")
        }
        for (name, text) in [("ai_config", item.aiConfig), ("user_data", item.userData)] {
            guard let text else { continue }
            guard isJSONObject(text) else { throw SubmitInputError(line: line, "\(name) is not a JSON object") }
        }
    }

    /// `"AIVideoTag, AIMediaDNA"` → `["AIVideoTag", "AIMediaDNA"]`.
    public static func splitTypes(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func isJSONObject(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any]
    }

    /// `user_data` with `MessageCallback` set to `url` (VOD then calls that URL for these jobs,
    /// docs/vod.md §3.2); other members are kept.
    public static func userData(_ userData: String?, callbackURL url: String) throws(SubmitInputError) -> String {
        var object: [String: Any] = [:]
        if let userData {
            guard let parsed = (try? JSONSerialization.jsonObject(with: Data(userData.utf8))) as? [String: Any] else {
                throw SubmitInputError(line: nil, "user_data is not a JSON object")
            }
            object = parsed
        }
        object["MessageCallback"] = ["CallbackURL": url, "CallbackType": "http"]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            throw SubmitInputError(line: nil, "user_data cannot be encoded")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A bad submit input: which line, and what is wrong with it.
public struct SubmitInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var message: String

    public init(line: Int?, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}
