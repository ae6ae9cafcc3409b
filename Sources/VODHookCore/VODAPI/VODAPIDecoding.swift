#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why a VOD API answer could not be read. Carries the decoder's complaint (a field path at most),
/// never the body, which may echo request parameters.
public struct VODResponseDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the decoder objected to, on one line.
    public let reason: String

    /// Creates an error with a reason.
    public init(reason: String) {
        self.reason = reason
    }

    /// `not a valid <what>: <reason>`.
    public var description: String { reason }
}

/// The one place VOD answers are decoded, so every response type reports problems alike.
enum VODAPIDecoding {
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(VODResponseDecodingError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw VODResponseDecodingError(reason: "not a valid \(T.self): \(summary(of: error))")
        } catch {
            throw VODResponseDecodingError(reason: "not a valid \(T.self): not JSON")
        }
    }

    /// The coding path and kind of problem; Foundation's own descriptions can quote values.
    private static func summary(of error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context)
            return "missing \(key.stringValue)" + (context.codingPath.isEmpty ? "" : " in \(at)")
        case .typeMismatch(_, let context): return "wrong type at \(path(context))"
        case .valueNotFound(_, let context): return "null at \(path(context))"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context))"
        @unknown default: return "undecodable"
        }
    }
}
