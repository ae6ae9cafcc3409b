/// The last bytes of a stream of unbounded length (an `exec` program's stdout or stderr), kept
/// in memory bounded by twice the cap: a flood is counted and dropped, not stored.
public struct OutputTail: Sendable, Hashable {
    /// Bytes kept at most.
    public let cap: Int
    /// Bytes seen in all.
    public private(set) var total: Int = 0
    /// Up to 2 × cap, so trimming the front costs one copy per `cap` bytes appended.
    private var buffer: [UInt8] = []

    public init(cap: Int) {
        self.cap = max(0, cap)
    }

    public mutating func append(_ chunk: some Collection<UInt8>) {
        total += chunk.count
        guard cap > 0 else { return }
        if chunk.count >= cap {
            buffer = Array(chunk.suffix(cap))
            return
        }
        buffer.append(contentsOf: chunk)
        if buffer.count > 2 * cap { buffer.removeFirst(buffer.count - cap) }
    }

    /// The last `cap` bytes (all of them when there were fewer).
    public var bytes: ArraySlice<UInt8> { buffer.suffix(cap) }

    /// Bytes seen but not kept.
    public var dropped: Int { total - bytes.count }

    /// The kept bytes as text for a log line (invalid UTF-8, such as a character cut by the cap,
    /// becomes U+FFFD), escaped by ``LogText``, saying how many bytes came before when some were dropped.
    public var logText: String {
        let text = LogText.escaped(String(decoding: bytes, as: UTF8.self), limit: Int.max)
        return dropped > 0 ? "…(\(dropped) bytes before) " + text : text
    }
}
