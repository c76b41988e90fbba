import SpectralBytecode

/// Type conversion functions: int, uint, double, string, bytes, bool, one implementation
/// per source type. (timestamp and duration conversions live with the time functions.)
enum Conversions {
    static let functions: [LibraryFunction] = [
        LibraryFunction("int", [
            .global("int_to_int", [.int], .int, identity(.int, "int")),
            .global("uint_to_int", [.uint], .int) { heap, args in
                guard case .uint(let u) = args[0] else { return noSuchOverload("int", args, &heap) }
                return u > UInt64(Int64.max) ? heap.makeError("integer overflow: \(u) out of int range") : .int(Int64(u))
            },
            .global("double_to_int", [.double], .int) { heap, args in
                guard case .double(let d) = args[0] else { return noSuchOverload("int", args, &heap) }
                // Valid strictly inside (-2^63, 2^63), as cel-go checks.
                guard d.isFinite, d > -9_223_372_036_854_775_808.0, d < 9_223_372_036_854_775_808.0 else {
                    return heap.makeError("integer overflow: \(DoubleFormatting.cel(d)) out of int range")
                }
                return .int(Int64(d.rounded(.towardZero)))
            },
            .global("string_to_int", [.string], .int) { heap, args in
                guard case .string(let h) = args[0] else { return noSuchOverload("int", args, &heap) }
                guard let i = Int64(heap.strings[Int(h)], radix: 10) else {
                    return heap.makeError("type conversion error: cannot convert '\(heap.strings[Int(h)])' to int")
                }
                return .int(i)
            },
            .global("timestamp_to_int", [.timestamp], .int) { heap, args in
                guard case .timestamp(let seconds, _) = args[0] else { return noSuchOverload("int", args, &heap) }
                return .int(seconds)
            },
        ]),
        LibraryFunction("uint", [
            .global("int_to_uint", [.int], .uint) { heap, args in
                guard case .int(let i) = args[0] else { return noSuchOverload("uint", args, &heap) }
                return i < 0 ? heap.makeError("unsigned integer overflow: \(i) out of uint range") : .uint(UInt64(i))
            },
            .global("uint_to_uint", [.uint], .uint, identity(.uint, "uint")),
            .global("double_to_uint", [.double], .uint) { heap, args in
                guard case .double(let d) = args[0] else { return noSuchOverload("uint", args, &heap) }
                guard d.isFinite, d > -1.0, d < 18_446_744_073_709_551_616.0 else {
                    return heap.makeError("unsigned integer overflow: \(DoubleFormatting.cel(d)) out of uint range")
                }
                return .uint(UInt64(d.rounded(.towardZero)))
            },
            .global("string_to_uint", [.string], .uint) { heap, args in
                guard case .string(let h) = args[0] else { return noSuchOverload("uint", args, &heap) }
                guard let u = UInt64(heap.strings[Int(h)], radix: 10) else {
                    return heap.makeError("type conversion error: cannot convert '\(heap.strings[Int(h)])' to uint")
                }
                return .uint(u)
            },
        ]),
        LibraryFunction("double", [
            .global("int_to_double", [.int], .double) { heap, args in
                guard case .int(let i) = args[0] else { return noSuchOverload("double", args, &heap) }
                return .double(Double(i))
            },
            .global("uint_to_double", [.uint], .double) { heap, args in
                guard case .uint(let u) = args[0] else { return noSuchOverload("double", args, &heap) }
                return .double(Double(u))
            },
            .global("double_to_double", [.double], .double, identity(.double, "double")),
            .global("string_to_double", [.string], .double) { heap, args in
                guard case .string(let h) = args[0] else { return noSuchOverload("double", args, &heap) }
                let text = heap.strings[Int(h)]
                guard let d = parseDouble(text) else {
                    return heap.makeError("type conversion error: cannot convert '\(text)' to double")
                }
                return .double(d)
            },
        ]),
        LibraryFunction("string", [
            .global("int_to_string", [.int], .string) { heap, args throws(Trap) in
                guard case .int(let i) = args[0] else { return noSuchOverload("string", args, &heap) }
                return try heap.makeString(String(i))
            },
            .global("uint_to_string", [.uint], .string) { heap, args throws(Trap) in
                guard case .uint(let u) = args[0] else { return noSuchOverload("string", args, &heap) }
                return try heap.makeString(String(u))
            },
            .global("double_to_string", [.double], .string) { heap, args throws(Trap) in
                guard case .double(let d) = args[0] else { return noSuchOverload("string", args, &heap) }
                return try heap.makeString(DoubleFormatting.cel(d))
            },
            .global("bool_to_string", [.bool], .string) { heap, args throws(Trap) in
                guard case .bool(let b) = args[0] else { return noSuchOverload("string", args, &heap) }
                return try heap.makeString(b ? "true" : "false")
            },
            .global("string_to_string", [.string], .string, identity(.string, "string")),
            .global("bytes_to_string", [.bytes], .string) { heap, args throws(Trap) in
                guard case .bytes(let h) = args[0] else { return noSuchOverload("string", args, &heap) }
                guard let text = String(validating: heap.bytes[Int(h)], as: UTF8.self) else {
                    return heap.makeError("invalid UTF-8 in bytes, cannot convert to string")
                }
                return try heap.makeString(text)
            },
            .global("timestamp_to_string", [.timestamp], .string) { heap, args throws(Trap) in
                guard case .timestamp(let s, let n) = args[0] else { return noSuchOverload("string", args, &heap) }
                return try heap.makeString(TimeOperations.formatTimestamp(s, n))
            },
            .global("duration_to_string", [.duration], .string) { heap, args throws(Trap) in
                guard case .duration(let s, let n) = args[0] else { return noSuchOverload("string", args, &heap) }
                return try heap.makeString(TimeOperations.formatDuration(s, n))
            },
            .global("ip_to_string", [.ip], .string) { heap, args throws(Trap) in try NetworkExtension.toString(args[0], &heap) },
            .global("cidr_to_string", [.cidr], .string) { heap, args throws(Trap) in try NetworkExtension.toString(args[0], &heap) },
            // Not in cel-go, but `string()` has always converted these at run time (a JSON
            // null under `dyn`); declared so that checked, unchecked and stored programs
            // keep agreeing.
            .global("null_to_string", [.null], .string) { heap, args throws(Trap) in
                guard case .null = args[0] else { return noSuchOverload("string", args, &heap) }
                return try heap.makeString("null")
            },
            .global("type_to_string", [.type(.param("A"))], .string) { heap, args throws(Trap) in
                guard case .type(let t) = args[0] else { return noSuchOverload("string", args, &heap) }
                return try heap.makeString(t.name)
            },
        ]),
        LibraryFunction("bytes", [
            .global("string_to_bytes", [.string], .bytes) { heap, args throws(Trap) in
                guard case .string(let h) = args[0] else { return noSuchOverload("bytes", args, &heap) }
                return try heap.makeBytes(Array(heap.strings[Int(h)].utf8))
            },
            .global("bytes_to_bytes", [.bytes], .bytes, identity(.bytes, "bytes")),
        ]),
        LibraryFunction("bool", [
            .global("bool_to_bool", [.bool], .bool, identity(.bool, "bool")),
            .global("string_to_bool", [.string], .bool) { heap, args in
                guard case .string(let h) = args[0] else { return noSuchOverload("bool", args, &heap) }
                switch heap.strings[Int(h)] {
                case "1", "t", "true", "TRUE", "True": return .bool(true)
                case "0", "f", "false", "FALSE", "False": return .bool(false)
                default: return heap.makeError("type conversion error: cannot convert '\(heap.strings[Int(h)])' to bool")
                }
            },
        ]),
    ]

    /// `int(1)`, `string('a')`: the argument itself, when it has the kind converted to.
    static func identity(_ kind: TypeKind, _ name: String) -> Builtin {
        { heap, args in args[0].typeKind == kind ? args[0] : noSuchOverload(name, args, &heap) }
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
}
