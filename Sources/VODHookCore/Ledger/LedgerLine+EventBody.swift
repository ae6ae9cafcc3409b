extension LedgerLine {
    /// The `event` object of an event line (without its newline), byte for byte as recorded, or
    /// nil when the line is not one this codec wrote with an `event`.
    ///
    /// The codec writes `event` last, and the first `,"event":` of a line is its key: inside a
    /// string every quote is escaped, so the sequence cannot occur in an earlier field's value.
    /// What handlers are given, without decoding and re-encoding the body.
    public static func eventBody(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let key = Array(#","event":"#.utf8)
        guard line.count > key.count + 2, line.last == UInt8(ascii: "}") else { return nil }
        var index = line.startIndex
        let end = line.endIndex - key.count
        while index < end {
            if line[index] == key[0], line[index..<(index + key.count)].elementsEqual(key) {
                let body = line[(index + key.count)..<(line.endIndex - 1)]
                return body.first == UInt8(ascii: "{") && body.last == UInt8(ascii: "}") ? body : nil
            }
            index += 1
        }
        return nil
    }
}
