import Foundation
import VODHookCore

/// The sample bodies in this target's `Fixtures/samples/` (copies of the project's shared VOD
/// samples; `scripts/check-fixtures` compares them with the originals when those are at hand).
enum EventFixtures {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "no fixture named \(name)" }
    }

    /// The callback samples (the two other files are API responses, not events).
    static let eventSamples = [
        "ai-video-tag-complete.json", "ai-media-dna-complete.json", "ai-job-fail.json",
        "ai-media-audit-complete.json", "file-upload-complete.json",
    ]
    /// The samples that are API answers: they have no `EventType`.
    static let responseSamples = ["submit-aijob-response.json", "list-aijob-response.json"]

    /// The bytes of a copied sample, exactly as on disk.
    static func sample(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/samples")
        else { throw Missing(name: name) }
        return Array(try Data(contentsOf: url))
    }

    /// The copied fixture directory inside the test bundle.
    static func fixtureDirectory() throws -> URL {
        guard let url = Bundle.module.url(forResource: "samples", withExtension: nil, subdirectory: "Fixtures")
        else { throw Missing(name: "Fixtures/samples") }
        return url
    }

    /// A sample's top-level object, for building variants of it.
    static func sampleObject(_ name: String) throws -> [String: JSONValue] {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(try sample(name)))
        guard let object = value.objectValue else { throw Missing(name: "\(name) as an object") }
        return object
    }

    /// A body made of `object`, serialised by Foundation (sorted keys, so tests are stable).
    static func body(_ object: [String: JSONValue]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(JSONValue.object(object)))
    }

    /// A short name for an `EventData` case, for tables.
    static func kind(_ data: EventData) -> String {
        switch data {
        case .absent: "absent"
        case .tag: "tag"
        case .dna: "dna"
        case .audit: "audit"
        case .other: "other"
        case .unparsable: "unparsable"
        }
    }
}
