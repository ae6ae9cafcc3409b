public import Logging
public import VODHookCore

/// What the config file's actions may need to run: one place to extend as actions are added.
public struct HandlerContext: Sendable {
    public var logger: Logger
    /// vodhook's own environment, from which `exec` passes on only the names a handler lists.
    public var environment: [String: String]
    /// The VOD API and the ledger view `resubmit` handlers share; nil when none is configured.
    public var resubmit: ResubmitContext?
    /// Where `exec` runs note their process groups; serve's, nil elsewhere.
    public var execGroups: ExecGroupRegistry?

    public init(
        logger: Logger, environment: [String: String] = [:], resubmit: ResubmitContext? = nil,
        execGroups: ExecGroupRegistry? = nil
    ) {
        self.logger = logger
        self.environment = environment
        self.resubmit = resubmit
        self.execGroups = execGroups
    }
}

/// What every `resubmit` handler of a serve shares: one VOD client, one view of the ledger (so
/// two handlers never submit the same failure twice).
public struct ResubmitContext: Sendable {
    public var client: VODClient
    public var ledger: any ResubmitLedger

    public init(client: VODClient, ledger: any ResubmitLedger) {
        self.client = client
        self.ledger = ledger
    }
}

/// An action of the config file that cannot run as given.
public struct HandlerFactoryError: Error, Sendable, CustomStringConvertible {
    public let handler: String
    public let action: String

    public var description: String {
        "handler \(handler.debugDescription): its \(action) action calls the VOD API, and serve has no VOD API "
            + "credentials (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET or ~/.alibabacloud/credentials.ini)"
    }
}

/// The one place a config file's handler becomes code.
public enum HandlerFactory {
    public static func make(_ spec: HandlerSpec, context: HandlerContext) throws(HandlerFactoryError) -> HandlerRegistration {
        switch spec.action {
        case .write(let action):
            // One at a time: files of one job are rewritten in order, and a disk is not raced.
            return HandlerRegistration(
                name: spec.name, match: spec.match, retry: spec.retry, handler: WriteHandler(action: action))
        case .exec(let action):
            let handler = ExecHandler(
                name: spec.name, action: action, parentEnvironment: context.environment, logger: context.logger,
                groups: context.execGroups)
            return HandlerRegistration(
                name: spec.name, match: spec.match, retry: spec.retry, maxConcurrent: action.maxConcurrent, handler: handler)
        case .resubmit(let action):
            // Serve checks credentials before the ledger opens; this guards other callers.
            guard let resubmit = context.resubmit else {
                throw HandlerFactoryError(handler: spec.name, action: spec.action.keyword)
            }
            let handler = ResubmitHandler(
                name: spec.name, action: action, client: resubmit.client, ledger: resubmit.ledger, logger: context.logger)
            // One run at a time: a chain's decision reads what the previous run wrote.
            return HandlerRegistration(name: spec.name, match: spec.match, retry: spec.retry, handler: handler)
        }
    }
}
