/// `string.format(list)` from CEL's strings extension, with cel-go's (v2) semantics:
/// clauses `%s %d %f %.Nf %e %.Ne %b %o %x %X` and `%%`, consuming the list's elements in
/// order. A clause given a value of the wrong type, a missing argument or an unknown
/// clause makes the whole call an error.
enum StringFormatter {
    struct Failure: Error {
        let message: String
    }

    static let defaultPrecision = 6
    /// Bounds the output a single clause can demand (`%.1000000000f`).
    static let maxPrecision = 1000

    static func format(_ template: String, _ args: [Value], in heap: Heap) -> Result<String, Failure> {
        let bytes = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var argIndex = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "%") else {
                out.append(bytes[i])
                i += 1
                continue
            }
            if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "%") {
                out.append(UInt8(ascii: "%"))
                i += 2
                continue
            }
            guard argIndex < args.count else { return .failure(Failure(message: "index \(argIndex) out of range")) }
            guard i + 1 < bytes.count else { return .failure(Failure(message: "unexpected end of string")) }
            let clause: Clause
            switch parseClause(bytes, at: i + 1) {
            case .success(let parsed): clause = parsed
            case .failure(let failure):
                return .failure(Failure(message: "could not parse formatting clause: \(failure.message)"))
            }
            switch apply(clause, to: args[argIndex], in: heap) {
            case .success(let text): out.append(contentsOf: text.utf8)
            case .failure(let failure):
                return .failure(Failure(message: "error during formatting: \(failure.message)"))
            }
            i = clause.end
            argIndex += 1
        }
        return .success(String(decoding: out, as: UTF8.self))
    }

    // MARK: Parsing

    enum Verb { case string, decimal, fixed, scientific, binary, hex, upperHex, octal }

    struct Clause {
        var verb: Verb
        var precision: Int
        /// Index just past the clause in the template's bytes.
        var end: Int
    }

    /// Parses `[.N]verb` starting at `start` (just after the `%`).
    static func parseClause(_ bytes: [UInt8], at start: Int) -> Result<Clause, Failure> {
        var i = start
        var precision = defaultPrecision
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            var value = 0
            var digitCount = 0
            while true {
                guard i < bytes.count else {
                    return .failure(Failure(message: "error while parsing precision: could not find end of precision specifier"))
                }
                let byte = bytes[i]
                guard byte >= 0x30 && byte <= 0x39 else { break }
                // Saturate instead of overflowing; anything above the maximum is rejected below.
                value = min(value * 10 + Int(byte - 0x30), maxPrecision + 1)
                digitCount += 1
                i += 1
            }
            guard digitCount > 0 else {
                return .failure(Failure(message: "error while parsing precision: missing precision digits"))
            }
            guard value <= maxPrecision else {
                return .failure(Failure(message: "error while parsing precision: precision exceeds maximum allowed precision \(maxPrecision)"))
            }
            precision = value
        }
        let verb: Verb
        switch bytes[i] {
        case UInt8(ascii: "s"): verb = .string
        case UInt8(ascii: "d"): verb = .decimal
        case UInt8(ascii: "f"): verb = .fixed
        case UInt8(ascii: "e"): verb = .scientific
        case UInt8(ascii: "b"): verb = .binary
        case UInt8(ascii: "x"): verb = .hex
        case UInt8(ascii: "X"): verb = .upperHex
        case UInt8(ascii: "o"): verb = .octal
        default:
            return .failure(Failure(message: "unrecognized formatting clause \"\(character(in: bytes, at: i))\""))
        }
        return .success(Clause(verb: verb, precision: precision, end: i + 1))
    }

    /// The whole character starting at byte `i`, for error messages.
    private static func character(in bytes: [UInt8], at i: Int) -> String {
        var end = i + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[i..<end], as: UTF8.self)
    }

    // MARK: Clauses

    static func apply(_ clause: Clause, to value: Value, in heap: Heap) -> Result<String, Failure> {
        switch clause.verb {
        case .string:
            return formatString(value, in: heap)
        case .decimal:
            switch value {
            case .int(let i): return .success(String(i))
            case .uint(let u): return .success(String(u))
            case .double(let d): return .success(nonFinite(d) ?? ExactDecimal.shortestFixed(d))
            default: return mismatch("decimal clause can only be used on ints, uints, and doubles", value)
            }
        case .fixed, .scientific:
            let d: Double
            switch value {
            case .int(let i): d = Double(i)
            case .uint(let u): d = Double(u)
            case .double(let x): d = x
            default:
                return clause.verb == .fixed
                    ? mismatch("fixed-point clause can only be used on ints, uints, and doubles", value)
                    : mismatch("scientific clause can only be used on ints, uints, and doubles", value)
            }
            if let special = nonFinite(d) { return .success(special) }
            return .success(clause.verb == .fixed
                ? ExactDecimal.fixed(d, precision: clause.precision)
                : ExactDecimal.scientific(d, precision: clause.precision))
        case .binary:
            switch value {
            case .bool(let b): return .success(b ? "1" : "0")
            case .int(let i): return .success(String(i, radix: 2))
            case .uint(let u): return .success(String(u, radix: 2))
            default: return mismatch("only ints, uints, and bools can be formatted as binary", value)
            }
        case .octal:
            switch value {
            case .int(let i): return .success(String(i, radix: 8))
            case .uint(let u): return .success(String(u, radix: 8))
            default: return mismatch("octal clause can only be used on ints and uints", value)
            }
        case .hex, .upperHex:
            let upper = clause.verb == .upperHex
            switch value {
            case .int(let i): return .success(String(i, radix: 16, uppercase: upper))
            case .uint(let u): return .success(String(u, radix: 16, uppercase: upper))
            case .string(let h): return .success(hex(heap.strings[Int(h)].utf8, upper: upper))
            case .bytes(let h): return .success(hex(heap.bytes[Int(h)], upper: upper))
            default: return mismatch("only ints, uints, bytes, and strings can be formatted as hex", value)
            }
        }
    }

    private static func mismatch(_ what: String, _ value: Value) -> Result<String, Failure> {
        .failure(Failure(message: "\(what), was given \(value.typeKind.name)"))
    }

    /// cel-go spells non-finite doubles as CEL's `double()` accepts them.
    private static func nonFinite(_ d: Double) -> String? {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return nil
    }

    private static func hex<C: Collection>(_ bytes: C, upper: Bool) -> String where C.Element == UInt8 {
        let alphabet = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(alphabet[Int(b >> 4)])
            out.append(alphabet[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `%s`: the plain text of a value. Strings and bytes are not quoted, lists print as
    /// `[a, b]`, maps as `{k: v}` sorted by the formatted key.
    static func formatString(_ value: Value, in heap: Heap) -> Result<String, Failure> {
        var out = ""
        if let failure = appendString(value, to: &out, in: heap) { return .failure(failure) }
        return .success(out)
    }

    private static func appendString(_ value: Value, to out: inout String, in heap: Heap) -> Failure? {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .double(let d): out += nonFinite(d) ?? ExactDecimal.shortestFixed(d)
        case .string(let h): out += heap.strings[Int(h)]
        case .bytes(let h): out += String(decoding: heap.bytes[Int(h)], as: UTF8.self)
        case .timestamp(let s, let n): out += TimeOperations.formatTimestamp(s, n)
        case .duration(let s, let n): out += TimeOperations.formatDuration(s, n)
        case .type(let t): out += t.name
        case .object: out += Printer.describe(value, in: heap)
        case .list(let h):
            out += "["
            for (i, element) in heap.lists[Int(h)].enumerated() {
                if i > 0 { out += ", " }
                if let failure = appendString(element, to: &out, in: heap) { return failure }
            }
            out += "]"
        case .map(let h):
            let map = heap.map(h)
            var entries: [(key: String, value: String, order: Int)] = []
            entries.reserveCapacity(map.count)
            for i in 0..<map.count {
                var key = "", text = ""
                if let failure = appendString(map.keys[i], to: &key, in: heap) { return failure }
                if let failure = appendString(map.values[i], to: &text, in: heap) { return failure }
                entries.append((key, text, i))
            }
            // Byte-wise key order as Go compares strings; insertion order breaks ties.
            entries.sort { a, b in
                switch Ordering.lexicographic(a.key.utf8, b.key.utf8) {
                case .less: return true
                case .greater: return false
                default: return a.order < b.order
                }
            }
            out += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += ", " }
                out += entry.key + ": " + entry.value
            }
            out += "}"
        case .error:
            return Failure(message: "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given \(value.typeKind.name)")
        }
        return nil
    }
}
