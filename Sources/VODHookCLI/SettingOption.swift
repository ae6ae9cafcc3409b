import ArgumentParser
import VODHook

// A serve flag's name and help come from its setting's declaration, so `--help` shows the true
// default and the variable, and cannot drift from the README table or the example file.

extension NameSpecification {
    /// `--max-skew` for `.maxSkew`.
    static func setting(_ key: SettingKey) -> NameSpecification { .customLong(key.flagStem) }
}

extension ArgumentHelp {
    /// The declaration's doc, default and variable; its value placeholder.
    static func setting(_ key: SettingKey) -> ArgumentHelp {
        ArgumentHelp(SettingsDocs.help(key), valueName: key.declaration.valueName)
    }
}
