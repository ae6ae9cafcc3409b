public import Logging

/// Keeps a handler's own metadata until something is logged, instead of handing every change
/// to the wrapped handler.
///
/// Hummingbird gives every request a logger with a fresh `hb.request.id`, and swift-log's
/// `StreamLogHandler` renders its whole metadata to a sorted string on every change: about 2%
/// of vodhook's CPU per request in a profile, for lines that are almost never written. Here a
/// change is a dictionary store; the metadata is merged into the event (the event's own values
/// win, as in `StreamLogHandler`) only when a line is actually logged, and the wrapped handler,
/// whose own metadata stays empty, renders it then. Lines come out as the wrapped handler would
/// have written them, except that the handler's metadata now also wins over a metadata
/// provider's value for the same key (vodhook bootstraps no provider).
public struct DeferredMetadataLogHandler<Wrapped: LogHandler>: LogHandler {
    private var wrapped: Wrapped
    public var metadata: Logger.Metadata = [:]

    public init(_ wrapped: Wrapped) {
        self.wrapped = wrapped
        metadata = wrapped.metadata
        self.wrapped.metadata = [:]
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard !metadata.isEmpty else {
            wrapped.log(event: event)
            return
        }
        var event = event
        if let explicit = event.metadata, !explicit.isEmpty {
            event.metadata = metadata.merging(explicit) { _, explicit in explicit }
        } else {
            event.metadata = metadata
        }
        wrapped.log(event: event)
    }
}
