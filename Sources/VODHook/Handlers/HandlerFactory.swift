public import Logging
public import VODHookCore

/// What the config file's actions may need to run: one place to extend as actions are added.
public struct HandlerContext: Sendable {
    public var logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }
}

/// An action of the config file that this build cannot run.
public struct HandlerFactoryError: Error, Sendable, CustomStringConvertible {
    public let handler: String
    public let action: String

    public var description: String {
        "handler \(handler.debugDescription): its \(action) action is not built into this version of vodhook yet; "
            + "remove the handler from the config file to start"
    }
}

/// The one place a config file's handler becomes code.
public enum HandlerFactory {
    public static func make(_ spec: HandlerSpec, context: HandlerContext) throws(HandlerFactoryError) -> HandlerRegistration {
        switch spec.action {
        case .write(let action):
            // One at a time: files of one job are rewritten in order, and a disk is not raced.
            return HandlerRegistration(name: spec.name, match: spec.match, retry: spec.retry, handler: WriteHandler(action: action))
        case .exec, .resubmit:
            // Refused rather than faked: serve must not acknowledge events a handler never sees.
            // Where they plug in: `exec` as HandlerRegistration(…, maxConcurrent: action.maxConcurrent,
            // handler: ExecHandler(…)); `resubmit` with one slot, its VOD client from the context.
            throw HandlerFactoryError(handler: spec.name, action: spec.action.keyword)
        }
    }
}
