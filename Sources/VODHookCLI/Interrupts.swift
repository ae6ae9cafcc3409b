#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Synchronization

/// Ctrl-C (and SIGTERM) for a command that must stop cleanly: the first runs `onFirst`; the
/// second exits at once with 130.
final class Interrupts {
    private let sources: [any DispatchSourceSignal]

    private init(sources: [any DispatchSourceSignal]) { self.sources = sources }

    static func install(onFirst: @escaping @Sendable () -> Void) -> Interrupts {
        let count = Counter()
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() == 1 { onFirst() } else { exit(130) }
            }
            source.resume()
            sources.append(source)
        }
        return Interrupts(sources: sources)
    }

    func cancel() {
        for source in sources { source.cancel() }
    }

    private final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func increment() -> Int { value.add(1, ordering: .relaxed).newValue }
    }
}
