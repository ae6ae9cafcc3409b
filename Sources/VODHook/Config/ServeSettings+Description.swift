extension ServeSettings: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting on one line, `key=value`, with the callback keys counted but never shown.
    public var description: String {
        SettingKey.allCases.compactMap { key in key.declaration.show(self).map { "\(key.fileKey)=\($0)" } }
            .joined(separator: " ")
    }

    /// The same as ``description``: the keys stay hidden in the debugger and in test failures too.
    public var debugDescription: String { description }
}

extension ServeSettings {
    /// The settings whose value in `other` differs from this one's (callback keys by count only).
    public func differences(from other: ServeSettings) -> [SettingKey] {
        SettingKey.allCases.filter { key in key.declaration.show(self) != key.declaration.show(other) }
    }
}
