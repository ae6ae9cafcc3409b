/// An error answer from the VOD API (docs/vod.md §3.4): `{RequestId, HostId, Code, Message[, Recommend]}`
/// with a 4xx or 5xx status.
///
/// ``description`` is one line with the code, message and `RequestId`. VOD's message for
/// `SignatureDoesNotMatch` quotes the server's string to sign, which holds the AccessKey ID (and, for
/// RPC with STS, the token): that part is cut, and the client also blanks any credential it knows.
public struct VODAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status, e.g. 400.
    public var httpStatus: Int
    /// VOD's `Code`, e.g. `Throttling.User`; empty when a 5xx came without a VOD error body.
    public var code: String
    /// VOD's `Message`.
    public var message: String
    /// VOD's `RequestId`, for a support ticket.
    public var requestId: String?
    /// VOD's `Recommend`: a diagnosis URL, when given.
    public var recommend: String?
    /// VOD's `HostId`, when given.
    public var hostId: String?

    /// Creates an error.
    public init(
        httpStatus: Int, code: String, message: String, requestId: String? = nil,
        recommend: String? = nil, hostId: String? = nil
    ) {
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.requestId = requestId
        self.recommend = recommend
        self.hostId = hostId
    }

    /// Codes that clear up by themselves, whatever the status (VOD sends throttling as 400).
    static let retryableCodes: Set<String> = ["InternalError", "ServiceUnAvailable", "ServiceUnavailable"]

    /// Whether the same call may succeed later: throttling (`Throttling`, `Throttling.*`),
    /// `InternalError`, `ServiceUnAvailable`, and any 5xx. Authentication, parameter, `Forbidden*`
    /// and `OperationDenied*` errors are not: they need a fix, not a wait. Only a read may be sent
    /// again on every one of these; see ``mayHaveTakenEffect``.
    public var isRetryable: Bool {
        isThrottling || mayHaveTakenEffect
    }

    /// VOD refused the call for the account's rate: it did nothing, so even a call that is not
    /// idempotent may be sent again.
    public var isThrottling: Bool { code == "Throttling" || code.hasPrefix("Throttling.") }

    /// Whether the call may have been carried out although an error came back: a server error
    /// (`InternalError`, `ServiceUnAvailable`, any 5xx, a proxy's 502 or 504 included) can come
    /// after the work was done, or in place of VOD's answer to it. Throttling never does.
    public var mayHaveTakenEffect: Bool {
        guard !isThrottling else { return false }
        return Self.retryableCodes.contains(code) || (500...599).contains(httpStatus)
    }

    /// Reads an error body; `nil` if `body` is not a JSON object with a string `Code`.
    public static func parse(httpStatus: Int, body: [UInt8]) -> VODAPIError? {
        guard let wire = try? VODAPIDecoding.decode(Wire.self, from: body) else { return nil }
        return VODAPIError(
            httpStatus: httpStatus, code: wire.code, message: wire.message ?? "",
            requestId: wire.requestId, recommend: wire.recommend, hostId: wire.hostId)
    }

    /// A copy with every occurrence of each non-empty `secret` in the message and recommendation
    /// replaced by `<redacted>`.
    public func redacting(_ secrets: [String]) -> VODAPIError {
        var copy = self
        for secret in secrets where !secret.isEmpty {
            copy.message = copy.message.replacing(secret, with: "<redacted>")
            copy.recommend = copy.recommend?.replacing(secret, with: "<redacted>")
        }
        return copy
    }

    /// `VOD error <Code> (HTTP <status>): <message>; RequestId <id>`, on one line.
    public var description: String {
        let what = code.isEmpty ? "VOD error" : "VOD error \(Self.oneLine(code, limit: 100))"
        let text = Self.safeMessage(message)
        return "\(what) (HTTP \(httpStatus))" + (text.isEmpty ? "" : ": \(text)")
            + "; RequestId \(requestId.map { Self.oneLine($0, limit: 100) } ?? "none")"
    }

    /// The message without VOD's echo of the string to sign, on one line, at most 300 characters.
    static func safeMessage(_ message: String) -> String {
        var text = message
        let markers = ["string to sign", "String to sign", "StringToSign", "stringToSign", "string-to-sign"]
        if let start = markers.compactMap({ text.firstRange(of: $0)?.lowerBound }).min() {
            // Cut from the start of the sentence that introduces it ("server string to sign is: …").
            let sentenceStart = text[..<start].lastIndex(where: { $0 == "." }).map { text.index(after: $0) }
            text = String(text[..<(sentenceStart ?? start)]) + " (string to sign omitted)"
        }
        return oneLine(text, limit: 300)
    }

    /// Control characters become spaces, runs of spaces one, and long text is cut with `…`.
    static func oneLine(_ text: String, limit: Int) -> String {
        var out = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let isSpace =
                scalar.properties.generalCategory == .control || scalar == " "
                || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator
            if isSpace {
                if !lastWasSpace { out.unicodeScalars.append(" ") }
            } else {
                out.unicodeScalars.append(scalar)
            }
            lastWasSpace = isSpace
        }
        let trimmed = out.trimmingSpaces()
        return trimmed.count > limit ? String(trimmed.prefix(limit)) + "…" : trimmed
    }

    private struct Wire: Decodable {
        var code: String
        var message: String?
        var requestId: String?
        var recommend: String?
        var hostId: String?

        private enum CodingKeys: String, CodingKey {
            case code = "Code"
            case message = "Message"
            case requestId = "RequestId"
            case recommend = "Recommend"
            case hostId = "HostId"
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map { index(after: $0) } ?? start
        return start < end ? String(self[start..<end]) : ""
    }
}
