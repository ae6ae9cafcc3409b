import Synchronization
public import VODHook

/// A Swift handler of one's own, run by serve beside the config file's (see Examples/CustomHandler).
public typealias CustomHandler = HandlerRegistration

/// The Swift handlers given to ``VODHookCommand/run(handlers:)``, for `serve` to find: the
/// command is made by ArgumentParser, which passes nothing but arguments.
enum CustomHandlers {
    private static let storage = Mutex<[HandlerRegistration]>([])

    static var registered: [HandlerRegistration] { storage.withLock { $0 } }

    static func register(_ handlers: [HandlerRegistration]) {
        storage.withLock { $0 = handlers }
    }
}
