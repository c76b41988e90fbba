/// Human-readable rendering of runtime values in CEL syntax, for error messages and
/// `string()` of aggregates.
public enum Printer {
    public static func describe(_ value: Value, in heap: Heap) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return DoubleFormatting.cel(d)
        case .string(let h): return quote(heap.strings[Int(h)])
        case .bytes(let h): return "b" + quote(String(decoding: heap.bytes[Int(h)], as: UTF8.self))
        case .list(let h):
            return "[" + heap.lists[Int(h)].map { describe($0, in: heap) }.joined(separator: ", ") + "]"
        case .map(let h):
            let map = heap.map(h)
            let entries = (0..<map.count).map { describe(map.keys[$0], in: heap) + ": " + describe(map.values[$0], in: heap) }
            return "{" + entries.joined(separator: ", ") + "}"
        case .timestamp(let s, let n): return "timestamp(\(quote(TimeOperations.formatTimestamp(s, n))))"
        case .duration(let s, let n): return "duration(\(quote(TimeOperations.formatDuration(s, n))))"
        case .type(let t): return t.name
        case .object(_, let h):
            switch heap.objects[Int(h)] {
            case .optional(let wrapped?): return "optional.of(\(describe(wrapped, in: heap)))"
            case .optional(nil): return "optional.none()"
            case .ip(let address): return "ip(\(quote(address.description)))"
            case .cidr(let address, let length): return "cidr(\(quote("\(address)/\(length)")))"
            }
        case .error(let h): return "error(\(heap.errors[Int(h)]))"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Double formatting shared by `string(double)` and printing.
public enum DoubleFormatting {
    /// CEL's `string(double)`, which is Go's `%g` (`strconv.FormatFloat(d, 'g', -1, 64)`):
    /// the shortest digits that round-trip, in exponent form when the exponent is below
    /// -4 or at least 6 (Go's rule for the shortest form): `123.456`, `-0.0045`,
    /// `1.234567e+06`, `NaN`, `+Inf`.
    public static func cel(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        let negative = d.sign == .minus
        if d == 0 { return negative ? "-0" : "0" }
        let (digits, pointPosition) = shortestDigits(abs(d))
        let exponent = pointPosition - 1
        var out = negative ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            out += String(digits.first!)
            if digits.count > 1 { out += "." + digits.dropFirst() }
            out += exponent < 0 ? "e-" : "e+"
            let magnitude = abs(exponent)
            out += (magnitude < 10 ? "0" : "") + String(magnitude)
        } else if pointPosition <= 0 {
            out += "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            out += digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            out += digits[..<split] + "." + digits[split...]
        }
        return out
    }

    /// The shortest round-trip decimal digits of a positive finite double (no leading or
    /// trailing zeros) and the position of the decimal point relative to them.
    static func shortestDigits(_ d: Double) -> (String, Int) {
        let text = d.description  // Swift prints the shortest round-trip representation
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = ""
        var pointPosition = 0
        var seenPoint = false
        for ch in mantissa {
            if ch == "." { seenPoint = true; continue }
            digits.append(ch)
            if !seenPoint { pointPosition += 1 }
        }
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, pointPosition + exponent)
    }
}
