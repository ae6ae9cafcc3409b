/// Reads the envelope members of a callback body in one pass over its bytes, for the request
/// path: about 0.3 µs for a typical body where Foundation's `JSONDecoder` took 5 to 6 µs plus
/// its allocations (perf-notes.md; about a tenth of vodhook's CPU per request in a profile).
///
/// Precondition: `JSONSyntax.isValid` accepted the bytes (so they are valid UTF-8 and exactly
/// one JSON value, strings hold only valid escapes and surrogate pairs). The scanner relies on
/// that and checks nothing: on other input its result is unspecified, though it never reads
/// out of bounds.
enum EnvelopeScanner {
    static func probe(_ body: [UInt8]) -> EnvelopeProbe {
        body.withUnsafeBufferPointer { buffer in
            var scanner = Cursor(bytes: buffer)
            return scanner.topLevel()
        }
    }

    /// The members read, by index into `names`.
    private enum Member: Int {
        case eventType, jobId, mediaId, videoId, status, eventTime

        var name: StaticString {
            switch self {
            case .eventType: "EventType"
            case .jobId: "JobId"
            case .mediaId: "MediaId"
            case .videoId: "VideoId"
            case .status: "Status"
            case .eventTime: "EventTime"
            }
        }

        /// The member named by exactly these (unescaped) bytes.
        static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> Member? {
            // Names differ in length or first byte except EventType/EventTime (both 9 bytes, "E").
            switch bytes.count {
            case 5: return matches(bytes, .jobId) ? .jobId : nil
            case 6: return matches(bytes, .status) ? .status : nil
            case 7:
                if matches(bytes, .mediaId) { return .mediaId }
                return matches(bytes, .videoId) ? .videoId : nil
            case 9:
                if matches(bytes, .eventType) { return .eventType }
                return matches(bytes, .eventTime) ? .eventTime : nil
            default: return nil
            }
        }

        private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ member: Member) -> Bool {
            let name = member.name
            guard bytes.count == name.utf8CodeUnitCount else { return false }
            for offset in 0..<bytes.count where bytes[offset] != name.utf8Start[offset] {
                return false
            }
            return true
        }
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        private var atEnd: Bool { index >= bytes.count }

        mutating func topLevel() -> EnvelopeProbe {
            skipWhitespace()
            guard !atEnd, bytes[index] == UInt8(ascii: "{") else { return .notAnObject }
            index += 1
            var probe = EnvelopeProbe(isObject: true)
            var seen: UInt8 = 0  // bit n: Member(rawValue: n) has been met
            skipWhitespace()
            if !atEnd, bytes[index] == UInt8(ascii: "}") { return probe }
            while !atEnd {
                // A member: "name" : value
                let member = memberName()
                skipWhitespace()
                index += 1  // the colon
                skipWhitespace()
                if let member, seen & 1 << member.rawValue == 0 {
                    // The first occurrence decides, string or not (as Foundation's keyed container).
                    seen |= 1 << member.rawValue
                    if !atEnd, bytes[index] == UInt8(ascii: "\"") {
                        let value = stringValue()
                        switch member {
                        case .eventType: probe.eventType = value
                        case .jobId: probe.jobId = value
                        case .mediaId: probe.mediaId = value
                        case .videoId: probe.videoId = value
                        case .status: probe.status = value
                        case .eventTime: probe.eventTime = value
                        }
                    } else {
                        skipValue()
                    }
                } else {
                    skipValue()
                }
                skipWhitespace()
                guard !atEnd, bytes[index] == UInt8(ascii: ",") else { break }  // "}": done
                index += 1
                skipWhitespace()
            }
            return probe
        }

        private mutating func skipWhitespace() {
            while !atEnd {
                switch bytes[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
                default: return
                }
            }
        }

        /// At a name's opening quote: moves past the closing one, returns the member it names.
        private mutating func memberName() -> Member? {
            let (start, end, escaped) = stringBounds()
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard escaped else { return Member.named(raw) }
            // Rare: an escaped name ("Event\u0054ype" names EventType for Foundation too).
            let unescaped = Self.unescape(raw)
            return unescaped.withUnsafeBufferPointer { Member.named($0) }
        }

        /// At a string's opening quote: moves past the closing one, returns its value.
        private mutating func stringValue() -> String {
            let (start, end, escaped) = stringBounds()
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard escaped else { return String(decoding: raw, as: UTF8.self) }
            return String(decoding: Self.unescape(raw), as: UTF8.self)
        }

        /// At an opening quote: the content's range, whether it holds an escape, and the
        /// index moved past the closing quote.
        private mutating func stringBounds() -> (start: Int, end: Int, escaped: Bool) {
            index += 1
            let start = min(index, bytes.count)
            var escaped = false
            while !atEnd {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    let end = index
                    index += 1
                    return (start, end, escaped)
                case UInt8(ascii: "\\"):
                    escaped = true
                    index += 2  // the escaped byte can never close the string
                default:
                    index += 1
                }
            }
            index = bytes.count
            return (start, bytes.count, escaped)
        }

        /// Moves past one value of any kind.
        private mutating func skipValue() {
            guard !atEnd else { return }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                _ = stringBounds()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while !atEnd {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        _ = stringBounds()
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return
                        }
                    default:
                        break
                    }
                    index += 1
                }
            default:
                // A number or literal: runs to the next structural byte or whitespace.
                while !atEnd {
                    switch bytes[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"),
                        UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                        return
                    default:
                        index += 1
                    }
                }
            }
        }

        /// The UTF-8 bytes a string's content (between the quotes) stands for.
        static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var index = 0
            while index < raw.count {
                let byte = raw[index]
                guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
                    out.append(byte)
                    index += 1
                    continue
                }
                let kind = raw[index + 1]
                index += 2
                switch kind {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = UInt32(hex4(raw, at: index))
                    index += 4
                    if (0xD800...0xDBFF).contains(scalar), index + 6 <= raw.count {
                        // JSONSyntax guarantees a low surrogate escape follows a high one.
                        let low = UInt32(hex4(raw, at: index + 2))
                        index += 6
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    appendUTF8(scalar, to: &out)
                default: out.append(kind)  // " \ /
                }
            }
            return out
        }

        private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt16 {
            var unit: UInt16 = 0
            for offset in 0..<4 where start + offset < raw.count {
                let byte = raw[start + offset]
                let digit: UInt8 =
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
                    default: 0
                    }
                unit = unit << 4 | UInt16(digit)
            }
            return unit
        }

        private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
            switch scalar {
            case 0..<0x80:
                out.append(UInt8(scalar))
            case 0x80..<0x800:
                out.append(UInt8(0xC0 | scalar >> 6))
                out.append(UInt8(0x80 | scalar & 0x3F))
            case 0x800..<0x10000:
                out.append(UInt8(0xE0 | scalar >> 12))
                out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                out.append(UInt8(0x80 | scalar & 0x3F))
            default:
                out.append(UInt8(0xF0 | scalar >> 18))
                out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
                out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                out.append(UInt8(0x80 | scalar & 0x3F))
            }
        }
    }
}
