import Foundation
import Testing

extension ProcessTests {
    /// deploy/systemd/vodhook.service as systemd's own tools judge it (no running systemd needed).
    @Suite(
        "deploy/systemd: the unit",
        .enabled(
            if: DeploySupport.tool("systemd-analyze") != nil,
            "systemd-analyze is missing (apt-get install systemd; scripts/test installs it as root)"))
    struct DeployUnitTests {
        /// The unit as installed, with ExecStart pointing at the binary this build made (verify
        /// checks that the command exists and is executable).
        static func installedUnit(_ sandbox: ProcessSandbox) throws -> String {
            var text = try DeploySupport.file("systemd/vodhook.service")
            try DeploySupport.substitute(
                &text, "ExecStart=/usr/local/bin/vodhook serve", with: "ExecStart=\(try ProcessBinary.path()) serve",
                in: "vodhook.service")
            return try sandbox.write("vodhook.service", text, mode: 0o644)
        }

        @Test("systemd-analyze verify finds nothing to say")
        func verify() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let unit = try Self.installedUnit(sandbox)
            let analyze = try DeploySupport.require("systemd-analyze", package: "systemd")
            let result = try await sandbox.run(analyze, ["verify", unit])
            #expect(result.exit.isCleanExit, "\(result)")
            #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(result)")
        }

        @Test("systemd-analyze security --offline=true rates the exposure at most 2.0")
        func exposure() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let unit = try Self.installedUnit(sandbox)
            let analyze = try DeploySupport.require("systemd-analyze", package: "systemd")
            // --threshold is in tenths: the command fails above 2.0.
            let result = try await sandbox.run(analyze, ["security", "--offline=true", "--threshold=20", "--no-pager", unit])
            #expect(result.exit.isCleanExit, "\(result)")
            let line = result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") }
            let score = line.flatMap { $0.split(separator: ":").last?.split(separator: " ").first }.flatMap { Double($0) }
            #expect((score ?? .infinity) <= 2.0, "\(line.map(String.init) ?? result.description)")
        }

        @Test("the unit passes secrets as credentials and runs unprivileged")
        func secretsAndUser() throws {
            let text = try DeploySupport.file("systemd/vodhook.service")
            let lines = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            for expected in [
                "Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "User=vodhook", "NoNewPrivileges=yes",
                "CapabilityBoundingSet=", "ProtectSystem=strict",
                "PrivateTmp=yes", "StateDirectory=vodhook", "SystemCallFilter=@system-service",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
                "Environment=ALIBABA_CLOUD_CREDENTIALS_FILE=%d/alibabacloud.ini",
            ] {
                #expect(lines.contains(expected), "missing \(expected)")
            }
            // Read in place, so that `systemctl reload` sees a rotated key (a credential is copied once).
            #expect(text.contains("--key-file /etc/vodhook/callback-keys"))
            #expect(!text.contains("LoadCredential=callback-keys"))
            #expect(!text.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET="), "no AccessKey in the unit itself")
        }
    }
}
