/// A JSON number kept as its source text.
///
/// Keeping the text (instead of converting eagerly) lets the consumer pick the
/// representation it needs - CEL distinguishes int, uint and double - without
/// losing precision, and keeps the hot tokenizing path free of float parsing.
///
/// `text` is always valid RFC 8259 number syntax: it can only be set by the
/// reader or the validating initializers, so writing it back out verbatim is
/// always valid JSON. Equality is textual: `1.0` and `1.00` are different
/// numbers here (they are different documents).
public struct JSONNumber: Equatable, Hashable, Sendable, CustomStringConvertible {
    public private(set) var text: String
    /// True when the literal has no fraction and no exponent (`-12`, `0`).
    /// `1.0` and `1e2` are not integers, even though their values are integral.
    public private(set) var isInteger: Bool

    /// Trusted initializer for the reader, which has already checked the grammar.
    init(validatedText: String, isInteger: Bool) {
        self.text = validatedText
        self.isInteger = isInteger
    }

    /// Validates `text` against the JSON number grammar; nil if it is not one.
    public init?(_ text: String) {
        guard let isInteger = JSONNumber.grammarCheck(Array(text.utf8)) else { return nil }
        self.text = text
        self.isInteger = isInteger
    }

    public init(_ value: Int64) {
        self.text = String(value)
        self.isInteger = true
    }

    public init(_ value: UInt64) {
        self.text = String(value)
        self.isInteger = true
    }

    /// Nil for NaN and infinities, which JSON cannot represent.
    /// Uses Swift's shortest round-trip formatting (`0.1`, `1.0`, `1e+300`),
    /// all of which are valid JSON number literals.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.text = value.description
        self.isInteger = false
    }

    public var description: String { text }

    /// The value when the literal is an integer that fits in `Int64`
    /// (`-0` gives 0). Nil for fractions/exponents and out-of-range values.
    public var int64Value: Int64? {
        guard isInteger, let (negative, magnitude) = integerParts() else { return nil }
        if negative {
            if magnitude <= UInt64(Int64.max) { return -Int64(magnitude) }
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// The value when the literal is a non-negative integer that fits in
    /// `UInt64` (`-0` gives 0). Nil otherwise.
    public var uint64Value: UInt64? {
        guard isInteger, let (negative, magnitude) = integerParts() else { return nil }
        if negative { return magnitude == 0 ? 0 : nil }
        return magnitude
    }

    /// The correctly rounded nearest Double (the standard library's parser).
    /// Out-of-range literals give ±infinity or ±0, as IEEE 754 rounding does.
    public var doubleValue: Double {
        if let fast = exactDecimal() { return fast }
        // The grammar guarantees the text parses; `.nan` only guards the
        // impossible case without a trap.
        return Double(text) ?? .nan
    }

    /// Clinger's fast path: when the decimal significand has at most 15 digits and the
    /// power of ten is within ±22, both are exact doubles and one IEEE multiplication
    /// or division rounds correctly. Covers almost every number in real input, at a
    /// fraction of the cost of the general parser.
    private func exactDecimal() -> Double? {
        var significand: UInt64 = 0
        var digits = 0
        var scale = 0          // digits after the point
        var exponent = 0
        var negative = false
        var seenPoint = false
        var utf8 = text.utf8.makeIterator()
        var byte = utf8.next()
        if byte == UInt8(ascii: "-") { negative = true; byte = utf8.next() }
        while let b = byte {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if significand != 0 || b != UInt8(ascii: "0") { digits += 1 }
                guard digits <= 15 else { return nil }
                significand = significand * 10 + UInt64(b - UInt8(ascii: "0"))
                if seenPoint { scale += 1 }
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                var exponentNegative = false
                byte = utf8.next()
                if byte == UInt8(ascii: "-") { exponentNegative = true; byte = utf8.next() }
                else if byte == UInt8(ascii: "+") { byte = utf8.next() }
                while let e = byte {
                    exponent = exponent * 10 + Int(e - UInt8(ascii: "0"))
                    guard exponent < 1000 else { return nil }
                    byte = utf8.next()
                }
                if exponentNegative { exponent = -exponent }
                return ExactPowerOfTen.scale(significand, by: exponent - scale, negative: negative)
            default:
                return nil
            }
            byte = utf8.next()
        }
        return ExactPowerOfTen.scale(significand, by: -scale, negative: negative)
    }

    /// Sign and magnitude of an integer literal; nil if the magnitude overflows UInt64.
    private func integerParts() -> (Bool, UInt64)? {
        var negative = false
        var magnitude: UInt64 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") { negative = true; continue }
            let digit = UInt64(byte &- UInt8(ascii: "0"))
            guard digit < 10 else { return nil }
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            magnitude = sum
        }
        return (negative, magnitude)
    }

    /// Returns `isInteger` if `bytes` is exactly one JSON number, else nil.
    static func grammarCheck(_ bytes: [UInt8]) -> Bool? {
        var i = 0
        let n = bytes.count
        func digit(_ k: Int) -> Bool { k < n && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
        if i < n && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while digit(i) { i += 1 }
        }
        var isInteger = true
        if i < n && bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard digit(i) else { return nil }
            while digit(i) { i += 1 }
        }
        if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            isInteger = false
            i += 1
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digit(i) else { return nil }
            while digit(i) { i += 1 }
        }
        return i == n ? isInteger : nil
    }
}
