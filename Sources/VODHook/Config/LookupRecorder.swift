internal import Configuration
internal import Synchronization

/// Keeps the last access a `ConfigReader` reports, so the loader can tell which provider
/// answered (or failed) for a key: swift-configuration's own provenance, per lookup.
final class LookupRecorder: AccessReporter {
    // A `let` Mutex: the compiler checks this class is Sendable.
    private let last = Mutex<AccessEvent?>(nil)

    func report(_ event: AccessEvent) {
        last.withLock { $0 = event }
    }

    /// The event of the lookup just made, and forgets it.
    func take() -> AccessEvent? {
        last.withLock { event in
            defer { event = nil }
            return event
        }
    }
}
