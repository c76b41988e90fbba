/// Renders a module as a readable listing, for debugging the compiler and for
/// `spectral --disassemble`. It works on any module, verified or not: an index out of
/// range is shown as `<invalid>` rather than trapping.
///
///     ; spectral bytecode, format version 2
///     ; registers: 3, cost bound: 4
///     constants:
///       k0 = "hello"
///     variables:
///       v0 = amount: double
///     ...
///     code:
///          0  fuel          1                ; 0..5
///          1  loadConst     r0, k0 "hello"   ; 0..7
public enum Disassembler {
    public static func disassemble(_ module: Module) -> String {
        var out = "; spectral bytecode, format version \(Module.formatVersion)\n"
        let bound = module.costBound == UInt64.max ? "unbounded" : String(module.costBound)
        out += "; registers: \(module.registerCount), cost bound: \(bound)\n"

        section("constants", module.constants, into: &out) { i, c in "k\(i) = \(render(c))" }
        section("names", module.names, into: &out) { i, n in "n\(i) = .\(n)" }
        // Each variable with its declared type: what its JSON input binds as.
        section("variables", module.variables, into: &out) { i, v in
            "v\(i) = \(v): " + (i < module.declarations.count ? module.declarations[i].description : "<no declaration>")
        }
        if module.declarations.count > module.variables.count {
            let extra = module.declarations[module.variables.count...].map(\.description)
            out += "; declarations without a variable: \(extra.joined(separator: ", "))\n"
        }
        section("functions", module.functions, into: &out) { i, f in
            // The overloads the call is bound to; none: found by name when loaded.
            let overloads = f.overloads.isEmpty ? "" : " -> " + f.overloads.joined(separator: " | ")
            return "f\(i) = \(f.name)/\(f.arity)\(f.receiver ? " (receiver)" : "")" + overloads
        }

        out += "code:\n"
        let width = String(max(module.code.count - 1, 0)).count
        for (index, ins) in module.code.enumerated() {
            var line = "  " + pad(String(index), width, left: true) + "  " + pad(ins.opcode.mnemonic + " ", 16)
            line += operands(ins, module).joined(separator: ", ")
            if index < module.spans.count {
                line = pad(line, 50) + " ; " + render(module.spans[index])
            }
            out += trimTrailing(line) + "\n"
        }
        return out
    }

    private static func section<T>(_ title: String, _ items: [T], into out: inout String,
                                   _ line: (Int, T) -> String) {
        guard !items.isEmpty else { return }
        out += "\(title):\n"
        for (i, item) in items.enumerated() { out += "  \(line(i, item))\n" }
    }

    /// The used operands, each rendered by its kind.
    private static func operands(_ ins: Instruction, _ module: Module) -> [String] {
        let kinds = ins.opcode.operands
        var result: [String] = []
        for (kind, value) in [(kinds.a, Int(ins.a)), (kinds.b, Int(ins.b)), (kinds.c, Int(ins.c))] {
            switch kind {
            case .unused: continue
            case .read, .write: result.append("r\(value)")
            case .iterator: result.append("r\(value):r\(value + 1)")
            case .constant:
                let c = value < module.constants.count ? render(module.constants[value]) : "<invalid>"
                result.append("k\(value) \(c)")
            case .variable:
                result.append("var " + (value < module.variables.count ? module.variables[value] : "<invalid \(value)>"))
            case .name:
                result.append(value < module.names.count ? "." + module.names[value] : ".<invalid \(value)>")
            case .function:
                if value < module.functions.count {
                    let f = module.functions[value]
                    result.append("fn \(f.name)/\(f.arity)")
                } else {
                    result.append("fn <invalid \(value)>")
                }
            case .target: result.append("@\(value)")
            case .count, .units: result.append(String(value))
            }
        }
        return result
    }

    static func render(_ constant: Constant) -> String {
        switch constant {
        case .null: return "null"
        case .bool(let v): return v ? "true" : "false"
        case .int(let v): return String(v)
        case .uint(let v): return "\(v)u"
        case .double(let v):
            // NaNs differ by payload; show the bits so the listing stays bit-exact.
            if v.isNaN { return "nan(0x\(String(v.bitPattern, radix: 16)))" }
            return v.description
        case .string(let v): return quote(v)
        case .bytes(let v):
            return "b\"" + v.map { byteEscape($0) }.joined() + "\""
        case .type(let v): return "type(\(v))"
        case .timestamp(let s, let n): return "timestamp(\(s)s, \(n)ns)"
        case .duration(let s, let n): return "duration(\(s)s, \(n)ns)"
        case .list(let indices): return "[" + indices.map { "k\($0)" }.joined(separator: ", ") + "]"
        case .map(let indices):
            let pairs = stride(from: 0, to: indices.count - 1, by: 2).map { "k\(indices[$0]): k\(indices[$0 + 1])" }
            return "{" + pairs.joined(separator: ", ") + "}"
        }
    }

    private static func render(_ span: SourceRange) -> String {
        span == .unknown ? "?" : "\(span.start)..\(span.end)"
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func byteEscape(_ b: UInt8) -> String {
        if b >= 0x20 && b < 0x7f && b != 0x22 && b != 0x5c { return String(UnicodeScalar(b)) }
        let hex = String(b, radix: 16)
        return "\\x" + (hex.count == 1 ? "0" + hex : hex)
    }

    private static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? fill + s : s + fill
    }

    private static func trimTrailing(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
