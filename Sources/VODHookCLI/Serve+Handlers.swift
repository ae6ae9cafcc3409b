import Foundation
import VODHook
import VODHookCore

extension Serve {
    /// Handlers are validated but not dispatched yet: `serve` refuses to start with any, rather
    /// than acknowledge events that the handlers configured would silently never see.
    func refuseHandlers() throws {
        let handlers: [HandlerSpec]
        do {
            handlers = try HandlerConfig.load(configFile: config)
        } catch {
            throw CLIError(error.description)
        }
        _ = try Self.resubmitCredentials(for: handlers, environment: ProcessInfo.processInfo.environment)
        let count = handlers.count
        guard count == 0 else {
            throw CLIError(
                "config file \(config ?? "") (--config): \(count) handlers configured, but handlers are not run by this "
                    + "version of serve yet; remove the handlers: key to start (`vodhook config check` validates them)")
        }
    }
}
