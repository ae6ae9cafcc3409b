public import VODHookCore

/// Where the VOD client's AccessKey comes from. Errors name the variable, never a value.
public enum VODCredentials {
    /// The AccessKey ID variable, as Alibaba Cloud's SDKs read it.
    public static let accessKeyIdVariable = "ALIBABA_CLOUD_ACCESS_KEY_ID"
    /// The AccessKey secret variable.
    public static let accessKeySecretVariable = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
    /// The STS token variable; optional.
    public static let securityTokenVariable = "ALIBABA_CLOUD_SECURITY_TOKEN"

    /// Reads the key pair and, when set and non-empty, the STS token from `environment`
    /// (pass `ProcessInfo.processInfo.environment` at the edge).
    public static func fromEnvironment(_ environment: [String: String]) throws(VODCredentialsError) -> ACSCredentials {
        let id = try required(accessKeyIdVariable, in: environment)
        let secret = try required(accessKeySecretVariable, in: environment)
        var token: String?
        // An exported but empty token (`export ALIBABA_CLOUD_SECURITY_TOKEN=`) means "not STS".
        if let value = environment[securityTokenVariable], !value.isEmpty {
            guard isUsable(value) else { throw .malformed(variable: securityTokenVariable) }
            token = value
        }
        return ACSCredentials(accessKeyId: id, accessKeySecret: secret, securityToken: token)
    }

    private static func required(_ name: String, in environment: [String: String]) throws(VODCredentialsError) -> String {
        guard let value = environment[name] else { throw .missing(variable: name) }
        guard !value.isEmpty else { throw .empty(variable: name) }
        guard isUsable(value) else { throw .malformed(variable: name) }
        return value
    }

    /// No whitespace or control characters: they would be trimmed from a signed header, or end it.
    private static func isUsable(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !$0.properties.isWhitespace }
    }
}

/// Why the credentials could not be read. Names the variable only.
public enum VODCredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The variable is not set.
    case missing(variable: String)
    /// The variable is set but empty.
    case empty(variable: String)
    /// The variable holds whitespace or control characters.
    case malformed(variable: String)

    /// One line naming the variable.
    public var description: String {
        switch self {
        case .missing(let name): "\(name) is not set; VOD API calls need an AccessKey"
        case .empty(let name): "\(name) is empty; VOD API calls need an AccessKey"
        case .malformed(let name): "\(name) contains whitespace or control characters (value not shown)"
        }
    }
}
