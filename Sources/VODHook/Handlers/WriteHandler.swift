import Dispatch
public import VODHookCore

/// The `write` action: each event into a file under the action's directory (``WriteAction/run(entry:body:)``).
public struct WriteHandler: EventHandler {
    public let action: WriteAction

    public init(action: WriteAction) {
        self.action = action
    }

    public func handle(_ event: HandlerEvent) async throws {
        let action = action
        // Its fsyncs block: on a thread of their own, so a stalled disk holds no thread of the
        // concurrency pool that other handlers and the dispatcher need.
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                do {
                    _ = try action.run(entry: event.entry, body: event.body)
                    done.resume()
                } catch {
                    done.resume(throwing: error)
                }
            }
        }
    }
}
