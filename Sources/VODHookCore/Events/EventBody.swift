#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The full decode of a callback body: every top-level member as JSON, and `Data` read once
/// both as JSON and, for the known AI families, as its typed result.
struct EventBody: Decodable {
    /// nil when the top level is not an object.
    let fields: [String: JSONValue]?
    /// The `Data` member when present.
    let data: DataDocument?

    init(from decoder: any Decoder) throws {
        guard let object = try? decoder.container(keyedBy: JSONKey.self) else {
            fields = nil
            data = nil
            return
        }
        // EventType first: it decides which typed result `Data` is tried as.
        let eventType = try? object.decode(String.self, forKey: .eventType)
        let family = EventFamily(eventType: eventType ?? "")
        var fields = [String: JSONValue](minimumCapacity: object.allKeys.count)
        var data: DataDocument?
        for key in object.allKeys {
            if key.stringValue == JSONKey.data.stringValue {
                let document = try object.decode(DataDocument.self, forKey: key, configuration: family)
                fields[key.stringValue] = document.value
                data = document
            } else {
                fields[key.stringValue] = try object.decode(JSONValue.self, forKey: key)
            }
        }
        self.fields = fields
        self.data = data
    }
}
