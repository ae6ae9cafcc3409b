import Foundation
import Testing
import VODHook

@Suite("Callback keys: key files, configured keys and the generated key")
struct ConfigCallbackKeyTests {
    @Test("a key file's comments, blank lines, surrounding spaces and CRLF endings are skipped")
    func keyFileParsing() throws {
        try withConfigScratch { scratch in
            let keyFile = try scratch.write("keys", "# production keys\r\n\r\nkey1\r\n  key2  \n\t# old one below\nkey3\n\n")
            let resolved = try CallbackKeySource.resolve(settings: ServeSettings(keyFile: keyFile, dataDir: scratch.path("data")))
            #expect(resolved == ResolvedKeys(keys: ["key1", "key2", "key3"], generatedAt: nil))
            #expect(!FileManager.default.fileExists(atPath: scratch.path("data")))
        }
    }

    @Test("key-file keys come first, then configured keys, each once")
    func merged() throws {
        try withConfigScratch { scratch in
            let keyFile = try scratch.write("keys", "fileKey\nsharedKey\n")
            let settings = ServeSettings(keyFile: keyFile, callbackKeys: ["sharedKey", "envKey"], dataDir: scratch.path("data"))
            #expect(try CallbackKeySource.resolve(settings: settings).keys == ["fileKey", "sharedKey", "envKey"])
        }
    }

    @Test("configured keys alone are used as they are, and nothing is generated")
    func configuredOnly() throws {
        try withConfigScratch { scratch in
            let settings = ServeSettings(callbackKeys: ["envKey1", "envKey2"], dataDir: scratch.path("data"))
            let resolved = try CallbackKeySource.resolve(settings: settings)
            #expect(resolved == ResolvedKeys(keys: ["envKey1", "envKey2"]))
            #expect(!FileManager.default.fileExists(atPath: scratch.path("data")))
        }
    }

    @Test(
        "a bad line in a key file is named by its number, never by its content",
        arguments: [
            ("good1\nbad key\n", 2), ("# c\n\ngood1\r\nbad\u{7}key\r\n", 4), ("bad\u{200B}key\n", 1),
        ] as [(String, Int)])
    func badLine(text: String, line: Int) throws {
        try withConfigScratch { scratch in
            let keyFile = try scratch.write("keys", text)
            let expected = ConfigError.invalidCallbackKey(key: "key_file", source: .keyFile(path: keyFile), position: line)
            #expect(throws: expected) {
                try CallbackKeySource.resolve(settings: ServeSettings(keyFile: keyFile, dataDir: scratch.path("data")))
            }
            #expect(expected.description.contains("line \(line)"))
            #expect(expected.description.contains(keyFile))
            #expect(!expected.description.contains("bad"))
            #expect(!expected.description.contains("good1"))
        }
    }

    @Test("a missing key file is an error naming its path")
    func missingKeyFile() throws {
        try withConfigScratch { scratch in
            let path = scratch.path("no-such-keys")
            #expect(throws: ConfigError.keyFileNotFound(path: path)) {
                try CallbackKeySource.resolve(settings: ServeSettings(keyFile: path, dataDir: scratch.path("data")))
            }
            #expect(ConfigError.keyFileNotFound(path: path).description.contains(path))
        }
    }

    @Test("a key file with no key is an error naming its path", arguments: ["", "\n\n", "# only a comment\n  \n"])
    func emptyKeyFile(text: String) throws {
        try withConfigScratch { scratch in
            let keyFile = try scratch.write("keys", text)
            #expect(throws: ConfigError.keyFileEmpty(path: keyFile)) {
                try CallbackKeySource.resolve(settings: ServeSettings(keyFile: keyFile, dataDir: scratch.path("data")))
            }
        }
    }

    @Test("an unreadable key file (a directory, or not UTF-8) is an error naming its path")
    func unreadableKeyFile() throws {
        try withConfigScratch { scratch in
            let notText = try scratch.write("keys", bytes: [0x6B, 0xFF, 0xFE, 0x0A])
            for path in [scratch.root, notText] {
                let error = #expect(throws: ConfigError.self) {
                    try CallbackKeySource.resolve(settings: ServeSettings(keyFile: path, dataDir: scratch.path("data")))
                }
                guard case .keyFileUnreadable(let named, _) = error else {
                    Issue.record("expected keyFileUnreadable, got \(String(describing: error))")
                    continue
                }
                #expect(named == path)
            }
        }
    }

    @Test("with no key configured, the first start generates a 32-character key in a 0600 file")
    func generated() throws {
        try withConfigScratch { scratch in
            let dataDir = scratch.path("data")
            let resolved = try CallbackKeySource.resolve(settings: ServeSettings(dataDir: dataDir))
            let path = dataDir + "/callback-key"
            #expect(resolved.generatedAt == path)
            #expect(CallbackKeySource.generatedKeyPath(dataDir: dataDir) == path)
            #expect(CallbackKeySource.generatedKeyPath(dataDir: dataDir + "/") == path)
            let key = try #require(resolved.keys.first)
            #expect(resolved.keys.count == 1)
            #expect(key.count == 32)
            #expect(key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
            #expect(try String(contentsOfFile: path, encoding: .utf8) == key + "\n")
            #expect(try scratch.permissions(path) == 0o600)
            #expect(try scratch.permissions(dataDir) == 0o750)
            // Only the key file: the temporary file it was written through is gone.
            #expect(try FileManager.default.contentsOfDirectory(atPath: dataDir) == ["callback-key"])
            #expect(!resolved.description.contains(key))
        }
    }

    @Test("the generated key is reused on the next start, never regenerated")
    func reused() throws {
        try withConfigScratch { scratch in
            let settings = ServeSettings(dataDir: scratch.path("data"))
            let first = try CallbackKeySource.resolve(settings: settings)
            let second = try CallbackKeySource.resolve(settings: settings)
            let third = try CallbackKeySource.resolve(settings: settings)
            #expect(first.generatedAt != nil)
            #expect(second == ResolvedKeys(keys: first.keys, generatedAt: nil))
            #expect(third == second)
        }
    }

    @Test("an existing callback-key file in the data directory is used as it is")
    func existingGeneratedFile() throws {
        try withConfigScratch { scratch in
            let dataDir = scratch.path("data")
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            let path = try scratch.write("data/callback-key", "operatorChosenKey\n")
            let resolved = try CallbackKeySource.resolve(settings: ServeSettings(dataDir: dataDir))
            #expect(resolved == ResolvedKeys(keys: ["operatorChosenKey"], generatedAt: nil))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "operatorChosenKey\n")
        }
    }

    @Test("an existing data directory keeps its permissions")
    func existingDataDirectory() throws {
        try withConfigScratch { scratch in
            let dataDir = scratch.path("data")
            try FileManager.default.createDirectory(
                atPath: dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            _ = try CallbackKeySource.resolve(settings: ServeSettings(dataDir: dataDir))
            #expect(try scratch.permissions(dataDir) == 0o700)
        }
    }

    @Test("with insecure_no_auth and nothing configured there are no keys, and nothing is generated")
    func insecure() throws {
        try withConfigScratch { scratch in
            let settings = ServeSettings(dataDir: scratch.path("data"), insecureNoAuth: true)
            let resolved = try CallbackKeySource.resolve(settings: settings)
            #expect(resolved == ResolvedKeys(keys: []))
            #expect(!FileManager.default.fileExists(atPath: scratch.path("data")))
        }
    }

    @Test("generated keys differ from one data directory to the next")
    func random() throws {
        try withConfigScratch { scratch in
            let keys = try (0..<8).map { index in
                try CallbackKeySource.resolve(settings: ServeSettings(dataDir: scratch.path("data\(index)"))).keys
            }
            #expect(Set(keys).count == keys.count)
        }
    }

    @Test("a data directory that cannot be created is an error naming the key path")
    func cannotGenerate() throws {
        try withConfigScratch { scratch in
            let blocker = try scratch.write("blocker", "a file, not a directory\n")
            let dataDir = blocker + "/data"
            let error = #expect(throws: ConfigError.self) {
                try CallbackKeySource.resolve(settings: ServeSettings(dataDir: dataDir))
            }
            // Reading <dataDir>/callback-key already fails (ENOTDIR counts as missing), then creating it does.
            guard case .keyGenerationFailed(let path, _) = error else {
                Issue.record("expected keyGenerationFailed, got \(String(describing: error))")
                return
            }
            #expect(path == dataDir + "/callback-key")
        }
    }
}
