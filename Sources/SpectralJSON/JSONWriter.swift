/// An append-only JSON serializer producing compact UTF-8 bytes.
///
/// Commas are inserted automatically: the writer only remembers whether the
/// last thing written was a complete value or key, not a stack of containers,
/// so it stays allocation-free apart from `bytes`. It trusts the call
/// sequence: the caller must balance begin/end calls and precede each object
/// member with `writeKey`; a wrong sequence produces invalid JSON rather than
/// an error.
///
/// Doubles: finite values are written in Swift's shortest round-trip form
/// (`0.1`, `1.0`, `1e+300`), which is valid JSON. JSON has no NaN or
/// infinities, so `writeDouble` writes them as the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"` (the protobuf JSON mapping's convention,
/// which CEL's JSON conversion follows). Use `JSONNumber(_: Double)` (nil for
/// non-finite values) when the caller wants to reject them instead.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// True after a complete value inside a container: the next value or key needs a ','.
    private var needsComma = false

    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// The output decoded as a String (always valid UTF-8).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object member name and ':'; the member's value must follow.
    public mutating func writeKey(_ key: String) {
        separate()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func writeNull() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    public mutating func writeBool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    public mutating func writeInt64(_ value: Int64) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude)
        needsComma = true
    }

    public mutating func writeUInt64(_ value: UInt64) {
        separate()
        appendDigits(value)
        needsComma = true
    }

    /// See the type documentation for how NaN and infinities are written.
    public mutating func writeDouble(_ value: Double) {
        if value.isNaN { return writeString("NaN") }
        if value.isInfinite { return writeString(value < 0 ? "-Infinity" : "Infinity") }
        separate()
        bytes.append(contentsOf: value.description.utf8)
        needsComma = true
    }

    /// Writes the number's text verbatim (it is valid JSON by construction).
    public mutating func writeNumber(_ value: JSONNumber) {
        separate()
        bytes.append(contentsOf: value.text.utf8)
        needsComma = true
    }

    public mutating func writeString(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    /// Writes a string given as its UTF-8 bytes (which must be valid UTF-8), escaped like
    /// any other: for text formatted into a buffer rather than held in a `String`.
    public mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        separate()
        appendQuoted(utf8: utf8)
        needsComma = true
    }

    /// Writes a whole tree. Recursive: the depth is that of the value, which
    /// `JSONValue.parse` bounds by `JSONLimits.maxDepth`.
    public mutating func writeValue(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let b): writeBool(b)
        case .number(let n): writeNumber(n)
        case .string(let s): writeString(s)
        case .array(let elements):
            beginArray()
            for element in elements { writeValue(element) }
            endArray()
        case .object(let members):
            beginObject()
            for (key, member) in members {
                writeKey(key)
                writeValue(member)
            }
            endObject()
        }
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Decimal digits without going through `String` (no temporary allocation).
    private mutating func appendDigits(_ value: UInt64) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        var rest = value
        while true {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            if divisor == 1 { break }
            divisor /= 10
        }
    }

    /// Appends `s` as a JSON string literal. Runs of bytes that need no
    /// escaping are copied in bulk; non-ASCII stays raw UTF-8 (a Swift String
    /// is always valid UTF-8). Only '"', '\' and controls below 0x20 are escaped.
    private mutating func appendQuoted(_ s: String) {
        var s = s
        s.withUTF8 { appendQuoted(utf8: $0) }
    }

    private mutating func appendQuoted(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for i in 0..<utf8.count {
            let b = utf8[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if i > runStart {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
            }
            runStart = i + 1
            bytes.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
        if utf8.count > runStart {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Compact JSON text for this value.
    public func serialized() -> String {
        var writer = JSONWriter()
        writer.writeValue(self)
        return writer.string
    }

    /// Compact JSON as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.writeValue(self)
        return writer.bytes
    }
}
