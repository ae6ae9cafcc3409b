import Foundation
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
    /// The credentials file can be read by others than its owner.
    case fileNotPrivate(path: String)
    /// The credentials file has no usable key in the profile.
    case fileWithoutKey(path: String, profile: String)

    /// One line naming the variable.
    public var description: String {
        switch self {
        case .missing(let name):
            "\(name) is not set and there is no ~/.alibabacloud/credentials.ini; VOD API calls need an AccessKey"
        case .empty(let name): "\(name) is empty; VOD API calls need an AccessKey"
        case .malformed(let name): "\(name) contains whitespace or control characters (value not shown)"
        case .fileNotPrivate(let path): "\(path) can be read by other users; chmod 600 it"
        case .fileWithoutKey(let path, let profile): "\(path) has no access_key_id and access_key_secret in [\(profile)]"
        }
    }
}

extension VODCredentials {
    /// Names a credentials file other than the default, as Alibaba Cloud's SDKs do.
    public static let credentialsFileVariable = "ALIBABA_CLOUD_CREDENTIALS_FILE"
    /// Picks a profile of the credentials file (default `default`).
    public static let profileVariable = "ALIBABA_CLOUD_PROFILE"

    /// The SDKs' default chain, as far as vodhook needs it: the environment variables if the key
    /// ID is set there, else the credentials file (`$ALIBABA_CLOUD_CREDENTIALS_FILE`, or
    /// `~/.alibabacloud/credentials.ini`), profile `$ALIBABA_CLOUD_PROFILE` or `default`.
    public static func resolve(_ environment: [String: String]) throws(VODCredentialsError) -> ACSCredentials {
        if environment[accessKeyIdVariable] != nil || environment[accessKeySecretVariable] != nil {
            return try fromEnvironment(environment)
        }
        let path =
            environment[credentialsFileVariable].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { $0 + "/.alibabacloud/credentials.ini" }
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .missing(variable: accessKeyIdVariable)
        }
        guard CredentialsFile.isPrivate(path) else { throw .fileNotPrivate(path: path) }
        let profile = environment[profileVariable].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return try CredentialsFile.credentials(in: text, profile: profile, path: path)
    }
}

/// Alibaba Cloud's credentials file (INI): `[profile]` sections of `key = value` lines, the
/// `access_key` type (`access_key_id`, `access_key_secret`) and `sts` (plus `security_token`).
enum CredentialsFile {
    static func credentials(in text: String, profile: String, path: String) throws(VODCredentialsError) -> ACSCredentials {
        var section: String?
        var values: [String: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast()).trimmingWhitespace()
                continue
            }
            guard section == profile, let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals]).trimmingWhitespace()] = String(line[line.index(after: equals)...]).trimmingWhitespace()
        }
        guard let id = values["access_key_id"], !id.isEmpty, let secret = values["access_key_secret"], !secret.isEmpty else {
            throw .fileWithoutKey(path: path, profile: profile)
        }
        let token = values["security_token"].flatMap { $0.isEmpty ? nil : $0 }
        return ACSCredentials(accessKeyId: id, accessKeySecret: secret, securityToken: token)
    }

    /// No one but the owner may read it: an AccessKey in a world-readable file is a leak.
    static func isPrivate(_ path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? Int
        else { return false }
        return mode & 0o077 == 0
    }
}
