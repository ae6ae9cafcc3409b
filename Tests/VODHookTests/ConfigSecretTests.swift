import Testing
import VODHook

@Suite("Callback keys in the configuration are secret")
struct ConfigSecretTests {
    static let secret = "s3cr3t with-space"

    @Test("callback keys come from VODHOOK_CALLBACK_KEYS, comma-separated")
    func keysFromEnvironment() throws {
        let settings = try ServeSettings.load(
            flags: ServeFlags(), environment: ["VODHOOK_CALLBACK_KEYS": "key1, key2,key3"], configFile: nil)
        #expect(settings.callbackKeys == ["key1", "key2", "key3"])
    }

    @Test("callback keys come from the file, as a list or one string, below the environment")
    func keysFromFile() throws {
        try withConfigScratch { scratch in
            let list = try scratch.write("list.yaml", "callback_keys:\n  - fileKey1\n  - fileKey2\n")
            #expect(
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: list).callbackKeys
                    == ["fileKey1", "fileKey2"])
            let single = try scratch.write("single.yaml", "callback_keys: onlyKey\n")
            #expect(
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: single).callbackKeys
                    == ["onlyKey"])
            let overridden = try ServeSettings.load(
                flags: ServeFlags(), environment: ["VODHOOK_CALLBACK_KEYS": "envKey"], configFile: list)
            #expect(overridden.callbackKeys == ["envKey"])
        }
    }

    @Test("a bad callback key in the environment is named by position, never shown")
    func badKeyInEnvironment() {
        let expected = ConfigError.invalidCallbackKey(key: "VODHOOK_CALLBACK_KEYS", source: .environment, position: 2)
        #expect(throws: expected) {
            try ServeSettings.load(
                flags: ServeFlags(), environment: ["VODHOOK_CALLBACK_KEYS": "goodKey1,\(Self.secret)"], configFile: nil)
        }
        #expect(expected.description.contains("VODHOOK_CALLBACK_KEYS"))
        #expect(expected.description.contains("entry 2"))
    }

    @Test(
        "no error about callback keys contains a key",
        arguments: [
            "callback_keys: [\"goodKey1\", \"\(secret)\"]\n",
            "callback_keys: \"\(secret)\"\n",
            "callback_keys:\n  nested: \"\(secret)\"\n",
            "callback_keys: [\"\(secret)\"\n",
            "callback_keys: [\"goodKey1\", [\"\(secret)\"]]\n",
            "callback_keys: \"\(secret)\n",
            "callback_keys: [\"goodKey1\", \"\"]\n",
        ])
    func secretsNeverShown(yaml: String) throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", yaml)
            let error = #expect(throws: ConfigError.self) {
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            }
            let message = error?.description ?? ""
            #expect(!message.isEmpty)
            #expect(!message.contains("s3cr3t"))
            #expect(!message.contains("with-space"))
            #expect(!message.contains("goodKey1"))
            #expect(!String(describing: error).contains("s3cr3t"))
        }
    }

    @Test("an environment key with a space is refused without showing it")
    func environmentSecretNeverShown() {
        let error = #expect(throws: ConfigError.self) {
            try ServeSettings.load(
                flags: ServeFlags(), environment: ["VODHOOK_CALLBACK_KEYS": Self.secret], configFile: nil)
        }
        #expect(error?.description.contains("s3cr3t") == false)
        #expect(error?.description.contains("VODHOOK_CALLBACK_KEYS") == true)
    }

    @Test("the settings' description counts the callback keys but hides them")
    func descriptionHidesKeys() {
        let settings = ServeSettings(callbackKeys: ["hiddenKey1", "hiddenKey2"])
        #expect(!settings.description.contains("hiddenKey"))
        #expect(!String(reflecting: settings).contains("hiddenKey"))
        #expect(settings.description.contains("callback_keys=<2 hidden>"))
    }
}
