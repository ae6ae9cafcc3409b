import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import VODHook
import VODHookCore

extension Serve {
    /// The config file's handlers, read and checked before the ledger opens: a bad handler, or a
    /// `resubmit` one without VOD API credentials, stops start-up with its name.
    func loadHandlerSpecs() throws -> [HandlerSpec] {
        let specs: [HandlerSpec]
        do {
            specs = try HandlerConfig.load(configFile: config)
        } catch {
            throw CLIError(error.description)
        }
        for custom in CustomHandlers.registered where specs.contains(where: { $0.name == custom.name }) {
            throw CLIError("handler \(custom.name.debugDescription) is both in the config file and a Swift handler; rename one")
        }
        return specs
    }

    /// The handlers serve runs: the config file's, then the Swift ones given to
    /// ``VODHookCommand/run(handlers:)``. Serve must not acknowledge events that a configured
    /// handler would never see, so any problem here stops start-up, naming the handler.
    static func makeHandlers(_ specs: [HandlerSpec], context: HandlerContext) throws -> [HandlerRegistration] {
        var handlers: [HandlerRegistration] = []
        for spec in specs {
            do {
                handlers.append(try HandlerFactory.make(spec, context: context))
            } catch {
                throw CLIError("\(error)")
            }
        }
        return handlers + CustomHandlers.registered
    }

    /// The dispatcher, when there are handlers; run by ``LedgerServices`` once the ledger is open, so
    /// that graceful shutdown (in reverse) stops it after the listeners and before the writer closes.
    static func dispatcher(_ handlers: [HandlerRegistration], ledger: LedgerWriter, logger: Logger) -> [any Service] {
        guard !handlers.isEmpty else { return [] }
        return [Dispatcher(handlers: handlers, writer: ledger, logger: logger)]
    }
}
