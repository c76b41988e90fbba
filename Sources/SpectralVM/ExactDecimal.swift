/// Exact decimal expansion of doubles, for printf-style `%f` and `%e` with a precision.
/// Every finite double is `m·2^e`, whose decimal expansion terminates; we compute it with
/// a small big-integer (`m·5^-e` shifted by `-e` decimal places) and round the digit
/// string half-to-even, which is what Go's `fmt` (and C's printf) do. This keeps the
/// engine free of Foundation and of locale-dependent C formatting.
enum ExactDecimal {
    /// The exact digits of a positive finite non-zero double: `value = 0.d₁d₂… × 10^point`.
    /// The digits have no leading zero.
    static func digits(of d: Double) -> (digits: [UInt8], point: Int) {
        let biased = Int(d.exponentBitPattern)
        var mantissa = d.significandBitPattern
        var exponent: Int
        if biased == 0 {
            exponent = -1074  // subnormal
        } else {
            mantissa |= 1 << 52
            exponent = biased - 1075
        }
        // Fewer factors of five to multiply in when the mantissa is even.
        while mantissa != 0 && mantissa & 1 == 0 && exponent < 0 {
            mantissa >>= 1
            exponent += 1
        }
        var big = BigUInt(mantissa)
        if exponent >= 0 {
            var remaining = exponent
            while remaining > 0 {
                let step = min(remaining, 31)
                big.multiply(by: UInt32(1) << UInt32(step))
                remaining -= step
            }
            let digits = big.decimalDigits()
            return (digits, digits.count)
        }
        var remaining = -exponent
        while remaining > 0 {
            let step = min(remaining, 13)  // 5^13 < 2^32
            var factor: UInt32 = 1
            for _ in 0..<step { factor *= 5 }
            big.multiply(by: factor)
            remaining -= step
        }
        let digits = big.decimalDigits()
        return (digits, digits.count + exponent)
    }

    /// Rounds `digits` (a decimal integer's digits, most significant first) to its first
    /// `keep` digits, half to even. Returns the kept digits (possibly with one more
    /// leading digit after a carry) and whether a carry added that digit.
    static func round(_ digits: [UInt8], keep: Int) -> (digits: [UInt8], carried: Bool) {
        if keep >= digits.count {
            return (digits + [UInt8](repeating: 0, count: keep - digits.count), false)
        }
        if keep < 0 { return ([], false) }
        var kept = Array(digits[0..<keep])
        let dropped = digits[keep]
        let restNonZero = digits[(keep + 1)...].contains { $0 != 0 }
        let lastOdd = (kept.last ?? 0) & 1 == 1
        let roundUp = dropped > 5 || (dropped == 5 && (restNonZero || lastOdd))
        guard roundUp else { return (kept, false) }
        var i = kept.count - 1
        while i >= 0 {
            if kept[i] == 9 {
                kept[i] = 0
                i -= 1
            } else {
                kept[i] += 1
                return (kept, false)
            }
        }
        kept.insert(1, at: 0)
        return (kept, true)
    }

    static func text(_ digits: some Sequence<UInt8>) -> String {
        String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
    }

    /// Go's `%.Nf` for a finite double.
    static func fixed(_ d: Double, precision: Int) -> String {
        let sign = d.sign == .minus ? "-" : ""
        var units: [UInt8] = []  // the digits of round(|d|·10^precision)
        if d != 0 {
            let (digits, point) = Self.digits(of: abs(d))
            units = round(digits, keep: point + precision).digits
        }
        if units.count <= precision {
            units = [UInt8](repeating: 0, count: precision + 1 - units.count) + units
        }
        let integerPart = units[0..<(units.count - precision)]
        let fraction = units[(units.count - precision)...]
        return sign + text(integerPart) + (precision > 0 ? "." + text(fraction) : "")
    }

    /// Go's `%.Ne` for a finite double: `d.ddde±XX`, at least two exponent digits.
    static func scientific(_ d: Double, precision: Int) -> String {
        let sign = d.sign == .minus ? "-" : ""
        var significant = [UInt8](repeating: 0, count: precision + 1)
        var exponent = 0
        if d != 0 {
            let (digits, point) = Self.digits(of: abs(d))
            let rounded = round(digits, keep: precision + 1)
            significant = rounded.carried ? Array(rounded.digits.dropLast()) : rounded.digits
            exponent = point - 1 + (rounded.carried ? 1 : 0)
        }
        var out = sign + text(significant[0..<1])
        if precision > 0 { out += "." + text(significant[1...]) }
        let magnitude = abs(exponent)
        out += (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        return out
    }

    /// Go's `strconv.FormatFloat(d, 'f', -1, 64)`: the shortest round-trip digits, never
    /// in exponent form (`1e+21` prints as `1000000000000000000000`).
    static func shortestFixed(_ d: Double) -> String {
        let sign = d.sign == .minus ? "-" : ""
        if d == 0 { return sign + "0" }
        let (digits, point) = DoubleFormatting.shortestDigits(abs(d))
        if point <= 0 {
            return sign + "0." + String(repeating: "0", count: -point) + digits
        }
        if point >= digits.count {
            return sign + digits + String(repeating: "0", count: point - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }
}

/// Just enough of an arbitrary-precision unsigned integer for `ExactDecimal`:
/// little-endian 32-bit limbs, multiplication by a small factor, decimal conversion.
struct BigUInt {
    private var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    private mutating func trim() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    /// Divides in place by a small divisor, returning the remainder.
    private mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let current = (remainder << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        trim()
        return UInt32(remainder)
    }

    /// Decimal digits (values 0...9), most significant first; `[0]` for zero.
    func decimalDigits() -> [UInt8] {
        var copy = self
        var chunks: [UInt32] = []  // base 10^9, least significant first
        while !copy.limbs.isEmpty { chunks.append(copy.divide(by: 1_000_000_000)) }
        guard let top = chunks.last else { return [0] }
        var out: [UInt8] = []
        out.reserveCapacity(chunks.count * 9)
        for ch in String(top).utf8 { out.append(ch - 0x30) }
        for chunk in chunks.dropLast().reversed() {
            var block = [UInt8](repeating: 0, count: 9)
            var value = chunk
            for i in stride(from: 8, through: 0, by: -1) {
                block[i] = UInt8(value % 10)
                value /= 10
            }
            out.append(contentsOf: block)
        }
        return out
    }
}
