/// Builds one ledger line, `{"key":value,…}\n`, straight into bytes: a tenth of `JSONEncoder`'s
/// cost on the request path, and the key order is exactly the order of the calls.
struct LineBuilder {
    private var out: [UInt8]
    private var first = true

    init(capacity: Int) {
        out = [UInt8(ascii: "{")]
        out.reserveCapacity(capacity)
    }

    /// A line appended to `buffer` (a batch of lines): no array of its own.
    init(appendingTo buffer: consuming [UInt8], capacity: Int) {
        out = buffer
        // Grown geometrically: reserving exactly what each line needs would copy the batch every line.
        if out.capacity - out.count < capacity { out.reserveCapacity(max(out.count + capacity, out.capacity * 2)) }
        out.append(UInt8(ascii: "{"))
    }

    /// Fields for the middle of a line, each with its leading comma, to be put in one with
    /// ``fragment(_:)``: what does not change from line to line is encoded once.
    init(fragmentCapacity capacity: Int) {
        out = []
        out.reserveCapacity(capacity)
        first = false
    }

    /// Fields encoded by a ``init(fragmentCapacity:)`` builder.
    mutating func fragment(_ fields: ArraySlice<UInt8>) {
        out.append(contentsOf: fields)
        first = false
    }

    /// The fields of a fragment builder.
    consuming func finishFragment() -> [UInt8] { out }

    /// Bytes so far.
    var count: Int { out.count }

    mutating func field(_ key: StaticString, _ value: String?) {
        open(key)
        JSONText.appendOptionalString(value, to: &out)
    }

    mutating func field(_ key: StaticString, integer value: (some BinaryInteger)?) {
        open(key)
        if let value { JSONText.appendInteger(value, to: &out) } else { out.append(contentsOf: Self.null) }
    }

    mutating func field(_ key: StaticString, bool value: Bool) {
        open(key)
        out.append(contentsOf: value ? Self.true : Self.false)
    }

    /// `value` is `null` or an object built by another `LineBuilder`'s ``finishObject()``.
    mutating func field(_ key: StaticString, object value: [UInt8]?) {
        open(key)
        out.append(contentsOf: value ?? Self.null)
    }

    /// `value` must already be one line of valid JSON (the validated, single-lined body).
    mutating func field(_ key: StaticString, json value: [UInt8]) {
        open(key)
        out.append(contentsOf: value)
    }

    /// The line: the object and its newline.
    consuming func finish() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
        return out
    }

    /// The object alone, to nest in another line.
    consuming func finishObject() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static let null = Array("null".utf8)
    private static let `true` = Array("true".utf8)
    private static let `false` = Array("false".utf8)

    private mutating func open(_ key: StaticString) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        JSONText.appendKey(key, to: &out)
    }
}
