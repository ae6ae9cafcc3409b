/// What a callback key may be: non-empty, without whitespace or control characters.
///
/// VOD itself allows up to 32 letters and digits; longer keys or other printable characters are
/// accepted here so that a key set in the VOD console is never refused by `serve`.
enum CallbackKeyRules {
    /// Whether `key` can be used as a callback key.
    static func isValid(_ key: String) -> Bool {
        !key.isEmpty
            && key.unicodeScalars.allSatisfy { scalar in
                !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
                    && scalar.properties.generalCategory != .format
            }
    }
}
