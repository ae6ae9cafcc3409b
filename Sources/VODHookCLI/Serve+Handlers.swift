import Logging
import ServiceLifecycle
import VODHook
import VODHookCore

extension Serve {
    /// The handlers serve runs: the config file's, then the Swift ones given to
    /// ``VODHookCommand/run(handlers:)``. Any problem stops start-up, naming the handler: serve
    /// must not acknowledge events that a configured handler would never see.
    func loadHandlers(logger: Logger) throws -> [HandlerRegistration] {
        let specs: [HandlerSpec]
        do {
            specs = try HandlerConfig.load(configFile: config)
        } catch {
            throw CLIError(error.description)
        }
        var handlers: [HandlerRegistration] = []
        for spec in specs {
            do {
                handlers.append(try HandlerFactory.make(spec, context: HandlerContext(logger: logger)))
            } catch {
                throw CLIError("config file \(config ?? "") (--config): \(error)")
            }
        }
        for custom in CustomHandlers.registered {
            guard !handlers.contains(where: { $0.name == custom.name }) else {
                throw CLIError("handler \(custom.name.debugDescription) is both in the config file and a Swift handler; rename one")
            }
            handlers.append(custom)
        }
        return handlers
    }

    /// The dispatcher, when there are handlers; placed right after the ledger writer, so that
    /// graceful shutdown (in reverse) stops it after the listeners and before the writer closes.
    static func dispatcher(_ handlers: [HandlerRegistration], ledger: LedgerWriter, logger: Logger) -> [any Service] {
        guard !handlers.isEmpty else { return [] }
        return [Dispatcher(handlers: handlers, writer: ledger, logger: logger)]
    }
}
