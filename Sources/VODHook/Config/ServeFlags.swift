/// What the command line of `vodhook serve` gave: the texts of each setting's flag, unchecked.
///
/// Values are kept as typed, so that ``ServeSettings/load(flags:environment:configFile:)`` checks
/// them with the same rules and the same messages as the environment and the config file, naming
/// the flag. There is deliberately no flag for callback keys: a secret on the command line is
/// visible to every user through `ps`; use `--key-file` or `VODHOOK_CALLBACK_KEYS`.
public struct ServeFlags: Sendable, Equatable {
    /// The flags given, each with its value(s); a toggle given is `["true"]`.
    public private(set) var values: [SettingKey: [String]]

    /// Flags as given: nil single values and empty lists count as not given.
    public init(_ single: [SettingKey: String?] = [:], lists: [SettingKey: [String]] = [:]) {
        values = single.compactMapValues { $0.map { [$0] } }.merging(lists.filter { !$0.value.isEmpty }) { _, list in list }
    }
}
