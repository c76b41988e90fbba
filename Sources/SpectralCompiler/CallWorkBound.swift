import SpectralBytecode
import SpectralSyntax

/// The most fuel a library call can charge at run time beyond `call`'s price, by the
/// overload it runs: the string functions by their operands' bytes (`StringWorkBound`),
/// the others by what they allocate and the elements they visit. An overload not listed
/// here is not priced, which leaves the static bound unknown: a new library function
/// costs nothing in the bound only once someone has read what it charges.
///
/// The figures mirror the VM's implementations (`Conversions`, `MathExtension`,
/// `NetworkExtension`, `OptionalValues`, `TimeFunctions`, `EncodersExtension`).
enum CallWorkBound {
    /// The work of a call resolved to `overloads` (the dearest counts: under `dyn` several
    /// may match); nil when any is unpriced or its operands' sizes are unknown.
    static func work(overloads: [String], operands: [Expr], extent: ValueExtent) -> UInt64? {
        guard !overloads.isEmpty else { return nil }   // unchecked: resolved by name at load
        return overloads.largest { work(overload: $0, operands: operands, extent: extent) }
    }

    private static func work(overload id: String, operands: [Expr], extent: ValueExtent) -> UInt64? {
        if let string = StringWorkBound.work(overloads: [id], operands: operands, extent: extent) { return string.units }
        if free.contains(id) || freePrefixes.contains(where: id.hasPrefix) { return 0 }
        if let bytes = fixedResultBytes[id] { return OperationWorkBound.allocation(bytes + OperationWorkBound.objectBytes) }
        func operandBytes(_ index: Int) -> UInt64? { index < operands.count ? extent.bytes(of: operands[index]) : nil }
        switch id {
        case "bytes_to_string", "string_to_bytes":
            // A copy of the operand's bytes.
            return operandBytes(0).map { OperationWorkBound.allocation(Saturating.add($0, OperationWorkBound.objectBytes)) }
        case "base64_encode_bytes":
            // Reads the bytes, writes 4 for every 3 (rounded up).
            return operandBytes(0).map { n in
                Saturating.add(n / 16, OperationWorkBound.allocation(Saturating.add(Saturating.multiply(n / 3 + 1, 4), OperationWorkBound.objectBytes)))
            }
        case "base64_decode_string":
            return operandBytes(0).map { n in
                Saturating.add(n / 16, OperationWorkBound.allocation(Saturating.add(n, OperationWorkBound.objectBytes)))
            }
        case "list_join", "list_join_string":
            // One string of every element, with the separator between each two: priced for
            // a literal list, whose elements the compiler can measure.
            guard let list = operands.first, case .list(let items) = list.kind,
                  let texts = items.total(extent.bytes(of:)) else { return nil }
            var total = Saturating.add(OperationWorkBound.objectBytes, texts)
            if id == "list_join_string" {
                guard let separator = operandBytes(1) else { return nil }
                total = Saturating.add(total, Saturating.multiply(separator, UInt64(items.count)))
            }
            return OperationWorkBound.allocation(total)
        case _ where id.hasPrefix("math_@max_") || id.hasPrefix("math_@min_"):
            // A unit per value compared: the list's elements, or the arguments.
            if id.contains("_list_") { return operands.first.flatMap(extent.entries(of:)) }
            return UInt64(operands.count)
        default:
            return nil
        }
    }

    /// The most bytes the string or bytes a call resolved to `overloads` returns (the
    /// longest, under `dyn`); nil when any could return more than the compiler can tell.
    static func resultBytes(overloads: [String], operands: [Expr], extent: ValueExtent) -> UInt64? {
        guard !overloads.isEmpty else { return nil }
        return overloads.largest { resultBytes(overload: $0, operands: operands, extent: extent) }
    }

    private static func resultBytes(overload id: String, operands: [Expr], extent: ValueExtent) -> UInt64? {
        func operandBytes(_ index: Int) -> UInt64? { index < operands.count ? extent.bytes(of: operands[index]) : nil }
        if id.hasSuffix("_to_string"), let bytes = fixedResultBytes[id] { return bytes }
        switch id {
        case "string_to_string", "bytes_to_string", "string_to_bytes",
             // Functions that never lengthen their receiver.
             "string_lower_ascii", "string_upper_ascii", "string_trim", "string_reverse",
             "string_substring_int", "string_substring_int_int", "string_char_at_int":
            return operandBytes(0)
        case "strings_quote":
            // An escape writes two bytes for one, and two quotes more.
            return operandBytes(0).map { Saturating.add(Saturating.multiply($0, 2), 2) }
        case "string_replace_string_string", "string_replace_string_string_int":
            // The receiver with the new text at most once per byte and once more.
            guard let s = operandBytes(0), let new = operandBytes(2) else { return nil }
            return Saturating.add(s, Saturating.multiply(Saturating.add(s, 1), new))
        default:
            return nil
        }
    }

    /// Overloads that charge nothing: they read scalars, or parse text of bounded length
    /// (`IPAddress.maxTextLength`), or return one of their operands.
    private static let free: Set<String> = [
        "int_to_int", "uint_to_int", "double_to_int", "string_to_int", "timestamp_to_int",
        "int_to_uint", "uint_to_uint", "double_to_uint", "string_to_uint",
        "int_to_double", "uint_to_double", "double_to_double", "string_to_double",
        "string_to_string", "bytes_to_bytes", "bool_to_bool", "string_to_bool",
        "string_to_timestamp", "timestamp_to_timestamp", "int_to_timestamp", "string_to_duration", "duration_to_duration",
        "size_bytes", "bytes_size", "size_list", "list_size", "size_map", "map_size",
        "to_dyn", "type", "not_strictly_false",
        "math_abs_int", "math_abs_uint", "math_abs_double", "math_sign_int", "math_sign_uint", "math_sign_double",
        "math_sqrt_int", "math_sqrt_uint", "math_sqrt_double", "math_bitNot_int_int", "math_bitNot_uint_uint",
        "math_ceil_double", "math_floor_double", "math_round_double", "math_trunc_double",
        "math_isInf_double", "math_isNaN_double", "math_isFinite_double",
        "is_ip", "is_cidr", "ip_is_canonical", "ip_family", "cidr_prefix_length",
        "cidr_contains_ip", "cidr_contains_ip_string", "cidr_contains_cidr", "cidr_contains_cidr_string",
        "ip_is_unspecified", "ip_is_loopback", "ip_is_global_unicast", "ip_is_link_local_multicast", "ip_is_link_local_unicast",
        "optional_hasValue", "optional_value", "optional_orValue_value", "optional_or_optional",
    ]

    /// Generated families that charge nothing: bitwise operations and time accessors.
    private static let freePrefixes = ["math_bit", "timestamp_get", "duration_get"]

    /// Overloads that make one value of bounded size: its payload's most bytes (an object
    /// is charged its payload's 16 on top of the overhead, an optional nothing).
    private static let fixedResultBytes: [String: UInt64] = [
        "int_to_string": 20, "uint_to_string": 20, "double_to_string": 32, "bool_to_string": 5, "null_to_string": 4,
        "timestamp_to_string": 32, "duration_to_string": 32, "type_to_string": 64,
        "ip_to_string": 48, "cidr_to_string": 52,
        "string_to_ip": 16, "cidr_ip": 16, "string_to_cidr": 16, "cidr_masked": 16,
        "optional_of": 0, "optional_ofNonZeroValue": 0, "optional_none": 0,
        "select_optional_field": 0, "select_optional_field_optional": 0,
        "list_optindex_optional_int": 0, "map_optindex_optional_value": 0,
        "optional_list_optindex_optional_int": 0, "optional_map_optindex_optional_value": 0,
    ]
}
