import Foundation
import VODHookCore

/// `Fixtures/signing-vectors.json` (a copy of the shared signing vectors, compared by
/// `scripts/check-fixtures`): the RPC and V3 parts.
struct SigningVectors: Decodable {
    struct RPC: Decodable {
        let method: String
        let secret: String
        let params: [String: String]
        let signature: String
    }

    struct V3: Decodable {
        let method: String
        let pathname: String
        let accessKeyId: String
        let secret: String
        let query: [String: String]
        let headers: [String: String]
        let authorization: String

        enum CodingKeys: String, CodingKey {
            case method, pathname, secret, query, headers, authorization
            case accessKeyId = "access_key_id"
        }

        /// The vector's headers as a list, in a fixed order.
        var headerList: [ACSHeader] {
            headers.keys.sorted().map { ACSHeader(name: $0, value: headers[$0, default: ""]) }
        }
    }

    let rpc: RPC
    let v3: V3

    enum CodingKeys: String, CodingKey {
        case rpc = "rpc_v1"
        case v3
    }

    /// The fixture's URL inside the test bundle.
    static func url() throws -> URL {
        guard
            let url = Bundle.module.url(
                forResource: "signing-vectors", withExtension: "json",
                subdirectory: "Fixtures")
        else { throw CocoaError(.fileNoSuchFile) }
        return url
    }

    /// The decoded fixture.
    static func load() throws -> SigningVectors {
        try JSONDecoder().decode(SigningVectors.self, from: Data(contentsOf: url()))
    }
}
