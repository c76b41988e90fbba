/// Type conversion functions: int, uint, double, string, bytes, bool.
/// (timestamp and duration conversions live with the time functions.)
enum Conversions {
    static func register(_ r: inout Registry) {
        r.global("int", arity: 1) { heap, args in toInt(args[0], &heap) }
        r.global("uint", arity: 1) { heap, args in toUInt(args[0], &heap) }
        r.global("double", arity: 1) { heap, args in toDouble(args[0], &heap) }
        r.global("string", arity: 1) { heap, args throws(Trap) in try toString(args[0], &heap) }
        r.global("bytes", arity: 1) { heap, args throws(Trap) in
            switch args[0] {
            case .bytes: return args[0]
            case .string(let h): return try heap.makeBytes(Array(heap.strings[Int(h)].utf8))
            default: return noSuchOverload("bytes", args, &heap)
            }
        }
        r.global("bool", arity: 1) { heap, args in
            switch args[0] {
            case .bool: return args[0]
            case .string(let h):
                switch heap.strings[Int(h)] {
                case "1", "t", "true", "TRUE", "True": return .bool(true)
                case "0", "f", "false", "FALSE", "False": return .bool(false)
                default: return heap.makeError("type conversion error: cannot convert '\(heap.strings[Int(h)])' to bool")
                }
            default: return noSuchOverload("bool", args, &heap)
            }
        }
    }

    static func toInt(_ value: Value, _ heap: inout Heap) -> Value {
        switch value {
        case .int: return value
        case .uint(let u):
            return u > UInt64(Int64.max) ? heap.makeError("integer overflow: \(u) out of int range") : .int(Int64(u))
        case .double(let d):
            // Valid strictly inside (-2^63, 2^63), as cel-go checks.
            guard d.isFinite, d > -9_223_372_036_854_775_808.0, d < 9_223_372_036_854_775_808.0 else {
                return heap.makeError("integer overflow: \(DoubleFormatting.cel(d)) out of int range")
            }
            return .int(Int64(d.rounded(.towardZero)))
        case .string(let h):
            guard let i = Int64(heap.strings[Int(h)], radix: 10) else {
                return heap.makeError("type conversion error: cannot convert '\(heap.strings[Int(h)])' to int")
            }
            return .int(i)
        case .timestamp(let seconds, _): return .int(seconds)
        default: return heap.makeError("no such overload: int(\(value.typeKind.name))")
        }
    }

    static func toUInt(_ value: Value, _ heap: inout Heap) -> Value {
        switch value {
        case .uint: return value
        case .int(let i):
            return i < 0 ? heap.makeError("unsigned integer overflow: \(i) out of uint range") : .uint(UInt64(i))
        case .double(let d):
            guard d.isFinite, d > -1.0, d < 18_446_744_073_709_551_616.0 else {
                return heap.makeError("unsigned integer overflow: \(DoubleFormatting.cel(d)) out of uint range")
            }
            return .uint(UInt64(d.rounded(.towardZero)))
        case .string(let h):
            guard let u = UInt64(heap.strings[Int(h)], radix: 10) else {
                return heap.makeError("type conversion error: cannot convert '\(heap.strings[Int(h)])' to uint")
            }
            return .uint(u)
        default: return heap.makeError("no such overload: uint(\(value.typeKind.name))")
        }
    }

    static func toDouble(_ value: Value, _ heap: inout Heap) -> Value {
        switch value {
        case .double: return value
        case .int(let i): return .double(Double(i))
        case .uint(let u): return .double(Double(u))
        case .string(let h):
            let text = heap.strings[Int(h)]
            guard let d = parseDouble(text) else {
                return heap.makeError("type conversion error: cannot convert '\(text)' to double")
            }
            return .double(d)
        default: return heap.makeError("no such overload: double(\(value.typeKind.name))")
        }
    }

    /// Decimal and exponent forms, plus `NaN`, `Infinity`, `inf` in any case, with a sign.
    static func parseDouble(_ text: String) -> Double? {
        guard !text.isEmpty, !text.contains(where: { $0 == " " || $0 == "_" }) else { return nil }
        if text.lowercased().hasPrefix("0x") || text.lowercased().hasPrefix("-0x") || text.lowercased().hasPrefix("+0x") {
            return nil
        }
        guard let value = Double(text) else { return nil }
        // Out of range is an error, as Go's ParseFloat reports it; only spelled-out
        // infinities convert to infinity.
        if value.isInfinite && !text.lowercased().contains("inf") { return nil }
        return value
    }

    static func toString(_ value: Value, _ heap: inout Heap) throws(Trap) -> Value {
        switch value {
        case .string: return value
        case .int(let i): return try heap.makeString(String(i))
        case .uint(let u): return try heap.makeString(String(u))
        case .double(let d): return try heap.makeString(DoubleFormatting.cel(d))
        case .bool(let b): return try heap.makeString(b ? "true" : "false")
        case .bytes(let h):
            guard let text = String(validating: heap.bytes[Int(h)], as: UTF8.self) else {
                return heap.makeError("invalid UTF-8 in bytes, cannot convert to string")
            }
            return try heap.makeString(text)
        case .timestamp(let s, let n): return try heap.makeString(TimeOperations.formatTimestamp(s, n))
        case .duration(let s, let n): return try heap.makeString(TimeOperations.formatDuration(s, n))
        case .type(let t): return try heap.makeString(t.name)
        case .null: return try heap.makeString("null")
        case .object(.ip, _), .object(.cidr, _): return try NetworkExtension.toString(value, &heap)
        default: return heap.makeError("no such overload: string(\(value.typeKind.name))")
        }
    }
}
