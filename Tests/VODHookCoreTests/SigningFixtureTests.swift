import Foundation
import Testing

@Suite struct SigningFixtureTests {
    /// `../shared/vod/signing-vectors.json` next to the package root, found from this file's path.
    static let sharedVectors = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // VODHookCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("../shared/vod/signing-vectors.json")
        .standardizedFileURL

    @Test("the fixture copy is byte-identical to the shared signing vectors, when those are present",
          .enabled(if: FileManager.default.fileExists(atPath: sharedVectors.path)))
    func fixtureMatchesShared() throws {
        let shared = try Data(contentsOf: Self.sharedVectors)
        let fixture = try Data(contentsOf: SigningVectors.url())
        #expect(shared == fixture)
    }
}
