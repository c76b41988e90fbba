/// A forward-only reader of JSON straight from the bytes, for a consumer that knows what
/// it expects next (a binder walking a schema): no tokens, no `String` for a key or a
/// number, nothing allocated.
///
/// It only ever succeeds or gives up. Whatever it does not expect, malformed or merely
/// unusual (an escape in a key, a number past 19 digits), throws `Miss`, and the consumer
/// redoes the input with `JSONReader`, whose errors say what went wrong and where. Its
/// grammar is therefore narrower than RFC 8259's in places but never wider: what it
/// accepts, `JSONReader` accepts and reads the same way.
public struct JSONCursor {
    /// The cursor gave up: the input is malformed, or takes a path it does not read.
    public struct Miss: Error, Sendable {
        @inlinable public init() {}
    }

    public let bytes: UnsafeBufferPointer<UInt8>
    /// The next unread byte.
    public var position = 0
    /// Arrays and objects open (`enter()` and `leave()`), bounded by `limits.maxDepth`.
    public var depth = 0
    public let limits: JSONLimits

    @inlinable
    public init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: Structure

    /// The next byte after whitespace (consuming the whitespace), or nil at the end.
    @inlinable @inline(__always)
    public mutating func peek() -> UInt8? {
        var i = position
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else {
                position = i
                return b
            }
            i += 1
        }
        position = i
        return nil
    }

    /// Consumes `byte` when it is next (after whitespace).
    @inlinable @inline(__always)
    public mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// Consumes an opening bracket (`[` or `{`, already peeked).
    @inlinable @inline(__always)
    public mutating func enter() throws(Miss) {
        depth += 1
        guard depth <= limits.maxDepth else { throw Miss() }
        position += 1
    }

    /// After a member or element: true after a `,` (another follows), false after the
    /// closing `close` (the container is done).
    @inlinable @inline(__always)
    public mutating func next(orClose close: UInt8) throws(Miss) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            position += 1
            return true
        case close:
            position += 1
            depth -= 1
            return false
        default: throw Miss()
        }
    }

    /// Consumes a closing bracket that was peeked right after its opening one.
    @inlinable @inline(__always)
    public mutating func leave() {
        position += 1
        depth -= 1
    }

    /// True when only whitespace is left.
    public mutating func atEnd() -> Bool { peek() == nil }

    /// Skips one value, whatever it is, reading it as strictly as the rest of the cursor
    /// (so a string with an escape, or nesting past 64 below this value, is a miss): for a
    /// consumer that wants only where a value ends. Iterative: a bit a level says whether
    /// the container open there is an object.
    public mutating func skipValue() throws(Miss) {
        var objects: UInt64 = 0
        var nesting = 0
        while true {
            var done = true  // the value just read is complete (no container left open by it)
            guard let first = peek() else { throw Miss() }
            switch first {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = first == UInt8(ascii: "{")
                guard nesting < 64 else { throw Miss() }
                try enter()
                if peek() == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    leave()
                } else {
                    if isObject { objects |= 1 << UInt64(nesting) } else { objects &= ~(1 << UInt64(nesting)) }
                    nesting += 1
                    if isObject { _ = try key() }
                    done = false
                }
            case UInt8(ascii: "\""): _ = try stringBytes()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try number()
            default: throw Miss()
            }
            guard done else { continue }
            // Close what the value ended, up to a container with another member to read.
            while true {
                guard nesting > 0 else { return }
                let isObject = objects & (1 << UInt64(nesting - 1)) != 0
                if try next(orClose: isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    if isObject { _ = try key() }
                    break
                }
                nesting -= 1
            }
        }
    }

    // MARK: Scalars

    /// A member's key and the `:` after it: its bytes, in place. A key with an escape is a miss.
    @inlinable @inline(__always)
    public mutating func key() throws(Miss) -> UnsafeBufferPointer<UInt8> {
        guard peek() == UInt8(ascii: "\"") else { throw Miss() }
        let range = try stringBytes()
        guard take(UInt8(ascii: ":")) else { throw Miss() }
        return UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// Consumes the key `name` and the `:` after it when the next key (its quote already
    /// peeked) is exactly those bytes; false, consuming nothing, when it is another. `name`
    /// must have nothing JSON escapes. A match with no `:` after it is a miss.
    @inlinable @inline(__always)
    public mutating func take(key name: UnsafeBufferPointer<UInt8>) throws(Miss) -> Bool {
        let start = position + 1, end = start + name.count
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\""),
              ByteComparison.equal(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<end])), UnsafeRawBufferPointer(name)) else { return false }
        position = end + 1
        guard take(UInt8(ascii: ":")) else { throw Miss() }
        return true
    }

    /// A string without escapes (the quote already peeked): its UTF-8 bytes, validated, in
    /// place. A string with an escape is a miss (`JSONReader` decodes those).
    @inlinable @inline(__always)
    public mutating func string() throws(Miss) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[try stringBytes()])
    }

    @usableFromInline
    mutating func stringBytes() throws(Miss) -> Range<Int> {
        let start = position + 1
        var i = start
        let end = bytes.count
        while true {
            i = bytes.firstJSONSpecial(from: i)
            guard i < end else { throw Miss() }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") || b < 0x20 { throw Miss() }
            i = try utf8Sequence(at: i)
        }
        guard i - start <= limits.maxStringBytes else { throw Miss() }
        position = i + 1
        return start..<i
    }

    /// One well-formed UTF-8 sequence of two to four bytes at `i` (RFC 3629: no overlong
    /// forms, surrogates or values above U+10FFFF); the index after it.
    @usableFromInline
    func utf8Sequence(at i: Int) throws(Miss) -> Int {
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch bytes[i] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw Miss()
        }
        guard i + length <= bytes.count else { throw Miss() }
        let second = bytes[i + 1]
        guard second >= low && second <= high else { throw Miss() }
        for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { throw Miss() }
        return i + length
    }

    /// `true`, `false` or `null` (its first byte already peeked).
    @inlinable @inline(__always)
    public mutating func literal(_ word: StaticString) throws(Miss) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw Miss() }
        let start = word.utf8Start
        for k in 0..<count where bytes[position + k] != start[k] { throw Miss() }
        position += count
    }

    /// A number as written, read in one pass: its sign, its decimal digits as an integer
    /// and the power of ten that scales them.
    public struct Number {
        public var negative: Bool
        /// The digits, point removed (`12.5` → 125); at most 19 of them.
        public var significand: UInt64
        /// `12.5` → -1; `3e2` → 2.
        public var power: Int
        /// Written without fraction or exponent (`-12`, `0`), as `JSONNumber.isInteger`.
        public var isInteger: Bool
        /// Where it was written, for the general parser when the fast one cannot round it.
        var text: Range<Int>

        /// The value when it is an integer literal within `Int64`.
        public var int64: Int64? {
            guard isInteger else { return nil }
            if negative { return significand <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- significand) : nil }
            return significand <= UInt64(Int64.max) ? Int64(significand) : nil
        }

        /// The value when it is a non-negative integer literal (`-0` included).
        public var uint64: UInt64? {
            guard isInteger, !negative || significand == 0 else { return nil }
            return significand
        }
    }

    /// A number (its first byte, `-` or a digit, already peeked). Past 19 significant
    /// digits, or an exponent past 999, it is a miss.
    public mutating func number() throws(Miss) -> Number {
        let start = position
        var i = position
        let end = bytes.count
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var significand: UInt64 = 0
        var digits = 0
        guard i < end, bytes[i] &- UInt8(ascii: "0") < 10 else { throw Miss() }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < end && bytes[i] &- UInt8(ascii: "0") < 10 { throw Miss() }  // a leading zero
        } else {
            while i < end, case let d = bytes[i] &- UInt8(ascii: "0"), d < 10 {
                significand = significand &* 10 &+ UInt64(d)
                digits += 1
                i += 1
            }
        }
        var power = 0
        var isInteger = true
        if i < end && bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < end, bytes[i] &- UInt8(ascii: "0") < 10 else { throw Miss() }
            while i < end, case let d = bytes[i] &- UInt8(ascii: "0"), d < 10 {
                if significand != 0 || d != 0 { digits += 1 }
                significand = significand &* 10 &+ UInt64(d)
                power -= 1
                i += 1
            }
        }
        if i < end && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            isInteger = false
            i += 1
            var exponentNegative = false
            if i < end && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end, bytes[i] &- UInt8(ascii: "0") < 10 else { throw Miss() }
            var exponent = 0
            while i < end, case let d = bytes[i] &- UInt8(ascii: "0"), d < 10 {
                exponent = exponent * 10 + Int(d)
                guard exponent < 1000 else { throw Miss() }
                i += 1
            }
            power += exponentNegative ? -exponent : exponent
        }
        // 19 digits always fit in 64 bits; 20 may not, and are rare enough to leave to the reader.
        guard digits <= 19, i - start <= limits.maxStringBytes else { throw Miss() }
        position = i
        return Number(negative: negative, significand: significand, power: power, isInteger: isInteger, text: start..<i)
    }

    /// The number's nearest double, correctly rounded as `JSONNumber.doubleValue` gives it:
    /// exactly by one multiplication or division when the digits and the power of ten are
    /// both exact doubles (Clinger's fast path), else by the standard library's parser.
    public func double(_ number: Number) -> Double {
        if let exact = ExactPowerOfTen.scale(number.significand, by: number.power, negative: number.negative) { return exact }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[number.text]), as: UTF8.self)) ?? .nan
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The index of the first quote, backslash, control character or non-ASCII byte from
    /// `start` on (or the end), eight bytes at a time: the SWAR "has a zero byte" and "has
    /// a byte less than n" tests, whose lowest flagged byte is always a true one. Both
    /// readers of strings use it (`JSONCursor`, `JSONScanner.readString`).
    @usableFromInline @inline(__always)
    func firstJSONSpecial(from start: Int) -> Int {
        var i = start
        if let base = baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while count - i >= 8 {
                let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let quote = x ^ (ones &* 0x22)
                let backslash = x ^ (ones &* 0x5C)
                let control = (x &- ones &* 0x20) & ~x
                let special = (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | x) & highs
                if special != 0 { return i + special.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < count {
            let b = self[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { return i }
            i += 1
        }
        return i
    }
}
