/// Finds the callback keys for `serve`, generating one on the first start when none is configured.
public enum CallbackKeySource {
    /// The name of the generated key file inside the data directory.
    public static let generatedKeyFileName = "callback-key"

    /// `<dataDir>/callback-key`.
    public static func generatedKeyPath(dataDir: String) -> String {
        dataDir.hasSuffix("/") ? dataDir + generatedKeyFileName : dataDir + "/" + generatedKeyFileName
    }

    /// The keys to accept, in this order of sources:
    ///
    /// 1. the lines of ``ServeSettings/keyFile`` followed by ``ServeSettings/callbackKeys``, when
    ///    either is configured (merged, duplicates dropped; a missing, unreadable or empty key file
    ///    is an error naming its path);
    /// 2. else `<dataDir>/callback-key` if it exists (never regenerated);
    /// 3. else, unless ``ServeSettings/insecureNoAuth`` (then no keys), a new random 32-character
    ///    key of letters and digits, written to `<dataDir>/callback-key` with mode 0600 (the data
    ///    directory created with 0750 if needed) through a synced temporary file, so the file is
    ///    never seen half-written; ``ResolvedKeys/generatedAt`` then names it. Two instances
    ///    starting at once agree on one key: the first file wins.
    public static func resolve(settings: ServeSettings) throws(ConfigError) -> ResolvedKeys {
        var keys: [String] = []
        if let keyFile = settings.keyFile {
            keys += try CallbackKeyFile.read(path: keyFile, setting: SettingKey.keyFile.fileKey)
        }
        keys += settings.callbackKeys
        if !keys.isEmpty {
            return ResolvedKeys(keys: unique(keys))
        }

        let path = generatedKeyPath(dataDir: settings.dataDir)
        let setting = SettingKey.dataDir.fileKey
        if let existing = try CallbackKeyFile.readIfPresent(path: path, setting: setting) {
            return ResolvedKeys(keys: unique(existing))
        }
        if settings.insecureNoAuth {
            return ResolvedKeys(keys: [])
        }
        let key = generateKey()
        if try GeneratedKeyFile.create(key: key, at: path, dataDir: settings.dataDir) {
            return ResolvedKeys(keys: [key], generatedAt: path)
        }
        // Another instance published its key first: use that one.
        return ResolvedKeys(keys: unique(try CallbackKeyFile.read(path: path, setting: setting)))
    }

    /// A random key of 32 letters and digits, as the VOD console accepts.
    static func generateKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        // `Int.random(in:using:)` is unbiased, so every character is equally likely.
        return String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    private static func unique(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }
}

extension CallbackKeySource {
    /// The keys of a key file (one a line, `#` comments and blank lines skipped), for tools
    /// that sign test callbacks; errors name the path, never a key.
    public static func readKeyFile(_ path: String) throws(ConfigError) -> [String] {
        try CallbackKeyFile.read(path: path, setting: "--key-file")
    }
}
