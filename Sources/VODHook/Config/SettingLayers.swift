import VODHookCore

/// Flags over `VODHOOK_*` variables over the config file: for each setting, the first layer that
/// sets it, with the setting's name as spelled there for error messages.
///
/// A plain lookup rather than swift-configuration: every value is checked by its declaration
/// (ranges, sizes, URLs) and every error must name the layer it came from, which
/// swift-configuration's typed accessors neither do nor tell.
struct SettingLayers {
    private let flags: [SettingKey: [String]]
    private let environment: [String: String]
    private let file: YAMLConfigFile?

    /// `environment` is the whole process environment; an empty variable counts as unset.
    init(flags: ServeFlags, environment: [String: String], file: YAMLConfigFile?) {
        self.flags = flags.values
        self.environment = environment.filter { $0.key.hasPrefix(SettingKey.environmentPrefix) && !$0.value.isEmpty }
        self.file = file
    }

    /// The winning value(s) of `key`, or nil when no layer sets it.
    func find(_ key: SettingKey) -> SettingInput? {
        if let values = flags[key] {
            return SettingInput(values: values, source: .commandLine, name: key.name(in: .commandLine))
        }
        if let text = environment[key.environmentName] {
            // A list is comma-separated; entries are trimmed, empty ones kept (and refused by the check).
            let values =
                key.isList ? text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() } : [text]
            return SettingInput(values: values, source: .environment, name: key.name(in: .environment))
        }
        if let file, let values = file.values[key] {
            let source = ConfigSource.configFile(path: file.path)
            return SettingInput(values: values, source: source, name: key.name(in: source))
        }
        return nil
    }
}
