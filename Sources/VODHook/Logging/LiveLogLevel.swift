public import Logging
internal import Synchronization

/// The log level of every logger `serve` made, changeable while it runs (SIGHUP, `log_level`).
///
/// swift-log copies a handler into each `Logger`, so a level set on one copy never reaches the
/// others; ``LiveLevelLogHandler`` reads this shared value on each log call instead.
public final class LiveLogLevel: Sendable {
    private let level: Atomic<UInt8>
    private static let levels = Logger.Level.allCases

    public init(_ level: Logger.Level) {
        self.level = Atomic(Self.index(level))
    }

    public var current: Logger.Level {
        let index = Int(level.load(ordering: .relaxed))
        return Self.levels.indices.contains(index) ? Self.levels[index] : .info
    }

    public func set(_ newLevel: Logger.Level) {
        level.store(Self.index(newLevel), ordering: .relaxed)
    }

    private static func index(_ level: Logger.Level) -> UInt8 {
        UInt8(levels.firstIndex(of: level) ?? 2)
    }
}

/// A handler whose level is the shared ``LiveLogLevel``, unless a logger sets its own.
public struct LiveLevelLogHandler<Wrapped: LogHandler>: LogHandler {
    private var wrapped: Wrapped
    private let live: LiveLogLevel
    private var override: Logger.Level?

    public init(_ wrapped: Wrapped, level: LiveLogLevel) {
        self.wrapped = wrapped
        self.live = level
    }

    public var logLevel: Logger.Level {
        get { override ?? live.current }
        set { override = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        wrapped.log(event: event)
    }
}
