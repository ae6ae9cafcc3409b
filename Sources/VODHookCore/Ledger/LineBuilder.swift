/// Builds one ledger line, `{"key":value,…}\n`, straight into bytes: a tenth of `JSONEncoder`'s
/// cost on the request path, and the key order is exactly the order of the calls.
struct LineBuilder {
    private var out: [UInt8]
    private var first = true

    init(capacity: Int) {
        out = [UInt8(ascii: "{")]
        out.reserveCapacity(capacity)
    }

    mutating func field(_ key: StaticString, _ value: String?) {
        open(key)
        JSONText.appendOptionalString(value, to: &out)
    }

    mutating func field(_ key: StaticString, integer value: some BinaryInteger) {
        open(key)
        JSONText.appendInteger(value, to: &out)
    }

    /// `value` must already be one line of valid JSON (the validated, single-lined body).
    mutating func field(_ key: StaticString, json value: [UInt8]) {
        open(key)
        out.append(contentsOf: value)
    }

    consuming func finish() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
        return out
    }

    private mutating func open(_ key: StaticString) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        JSONText.appendKey(key, to: &out)
    }
}
