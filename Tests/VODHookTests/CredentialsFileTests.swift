import Foundation
import Testing
import VODHook
import VODHookCore

@Suite("VOD credentials: environment, then the credentials file")
struct CredentialsFileTests {
    static let file = """
        # written by `aliyun configure`
        [default]
        type = access_key
        access_key_id = LTAI5tDefaultId
        access_key_secret = default-secret-1

        [media-team]
        type = sts
        access_key_id = STS.TeamId
        access_key_secret = team-secret-2
        security_token = CAIStoken
        """

    static func withFile(_ text: String, mode: Int = 0o600, _ body: (String) throws -> Void) throws {
        let dir = TemporaryDataDir()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        let path = dir.path + "/credentials.ini"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        try body(path)
    }

    @Test("the environment wins when it names a key") func environmentFirst() throws {
        try Self.withFile(Self.file) { path in
            let credentials = try VODCredentials.resolve([
                "ALIBABA_CLOUD_ACCESS_KEY_ID": "envId", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret",
                "ALIBABA_CLOUD_CREDENTIALS_FILE": path,
            ])
            #expect(credentials.accessKeyId == "envId")
        }
    }

    @Test("else the file's default profile, or the one ALIBABA_CLOUD_PROFILE names (with its STS token)") func profiles() throws {
        try Self.withFile(Self.file) { path in
            let plain = try VODCredentials.resolve(["ALIBABA_CLOUD_CREDENTIALS_FILE": path])
            #expect(
                plain.accessKeyId == "LTAI5tDefaultId" && plain.accessKeySecret == "default-secret-1"
                    && plain.securityToken == nil)
            let team = try VODCredentials.resolve(["ALIBABA_CLOUD_CREDENTIALS_FILE": path, "ALIBABA_CLOUD_PROFILE": "media-team"])
            #expect(team.accessKeyId == "STS.TeamId" && team.securityToken == "CAIStoken")
            #expect(throws: VODCredentialsError.fileWithoutKey(path: path, profile: "other")) {
                try VODCredentials.resolve(["ALIBABA_CLOUD_CREDENTIALS_FILE": path, "ALIBABA_CLOUD_PROFILE": "other"])
            }
        }
    }

    @Test("a file others can read is refused, and the message shows no secret") func notPrivate() throws {
        try Self.withFile(Self.file, mode: 0o644) { path in
            #expect(throws: VODCredentialsError.fileNotPrivate(path: path)) {
                try VODCredentials.resolve(["ALIBABA_CLOUD_CREDENTIALS_FILE": path])
            }
            #expect(!VODCredentialsError.fileNotPrivate(path: path).description.contains("secret"))
        }
    }

    @Test("no variables and no file: the missing variable is named") func nothing() {
        #expect(throws: VODCredentialsError.missing(variable: "ALIBABA_CLOUD_ACCESS_KEY_ID")) {
            try VODCredentials.resolve(["HOME": "/nonexistent-home"])
        }
    }
}
