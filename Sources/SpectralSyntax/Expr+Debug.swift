/// A compact s-expression form of the AST, for tests and debugging:
///
///     1 + 2 * x      ->  (_+_ 1 (_*_ 2 x))
///     a.b            ->  (. a b)           has(a.b) -> (has a b)
///     f(x)           ->  (f x)             x.f(y)   -> (.f x y)   (the target comes first)
///     [1, 2]         ->  [1 2]             {k: v}   -> {k: v}
///     e.all(x, p)    ->  (all x e @result <init> <condition> <step> <result>)
///     e.all(k, v, p) ->  (all k,v e @result ...)
extension Expr: CustomDebugStringConvertible {
    public var debugDescription: String {
        switch kind {
        case .literal(let literal):
            return literal.debugDescription
        case .ident(let name):
            return name
        case .select(let operand, let field, let testOnly):
            return "(\(testOnly ? "has" : ".") \(operand.debugDescription) \(field))"
        case .call(let function, let target, let args):
            let parts = (target.map { [$0] } ?? []) + args
            let name = target == nil ? function : "." + function
            return "(" + ([name] + parts.map(\.debugDescription)).joined(separator: " ") + ")"
        case .list(let elements):
            return "[" + elements.map(\.debugDescription).joined(separator: " ") + "]"
        case .map(let entries):
            return "{" + entries.map { "\($0.key.debugDescription): \($0.value.debugDescription)" }
                .joined(separator: ", ") + "}"
        case .comprehension(let fold):
            let iterVars = fold.iterVar2.map { fold.iterVar + "," + $0 } ?? fold.iterVar
            let parts = [fold.macro.rawValue, iterVars, fold.iterRange.debugDescription, fold.accuVar,
                         fold.accuInit.debugDescription, fold.loopCondition.debugDescription,
                         fold.loopStep.debugDescription, fold.result.debugDescription]
            return "(" + parts.joined(separator: " ") + ")"
        }
    }
}

extension Literal: CustomDebugStringConvertible {
    /// CEL source syntax: `1`, `1u`, `1.0`, `"s"`, `b"\x00"`, `true`, `null`.
    public var debugDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .uint(let value): return "\(value)u"
        case .double(let value):
            let text = String(value)
            return text.contains(where: { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }) ? text : text + ".0"
        case .string(let value):
            var out = "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    out += "\\x" + hex(UInt8(scalar.value))
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        case .bytes(let bytes):
            var out = "b\""
            for byte in bytes {
                if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    out += "\\x" + hex(byte)
                }
            }
            return out + "\""
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
