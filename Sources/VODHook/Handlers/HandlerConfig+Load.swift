public import VODHookCore

extension HandlerConfig {
    /// The handlers of the `--config` file (none without one), every problem reported at once.
    ///
    /// The file is read and its keys checked as `serve` does (an unknown top-level key is
    /// refused here too), so this and ``ServeSettings/load(flags:environment:configFile:)``
    /// judge one file alike.
    public static func load(configFile: String?) throws(ConfigError) -> [HandlerSpec] {
        guard let configFile else { return [] }
        let file = try YAMLConfigFile.load(path: configFile)
        do {
            return try parse(yaml: file.bytes)
        } catch {
            throw .invalidHandlers(path: configFile, error)
        }
    }
}
