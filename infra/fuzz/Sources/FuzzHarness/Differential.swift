import Spectral

/// Well-typed expressions and inputs generated from the fuzzer's bytes (so libFuzzer's
/// mutations steer the generator), evaluated by the bytecode interpreter and by
/// `ReferenceEvaluator`; any difference in value or in value-versus-error is a finding.
enum GenType: Equatable, Sendable {
    case int, double, bool, string
    indirect case list(GenType)
    indirect case optional(GenType)

    var cel: CELType {
        switch self {
        case .int: return .int
        case .double: return .double
        case .bool: return .bool
        case .string: return .string
        case .list(let e): return .list(e.cel)
        case .optional(let e): return .abstract("optional_type", [e.cel])
        }
    }

    static let scalars: [GenType] = [.int, .double, .bool, .string]
    static let elements: [GenType] = [.int, .double, .string]
    static let lists: [GenType] = [.list(.int), .list(.double), .list(.string)]
    static let optionals: [GenType] = [.optional(.int), .optional(.double), .optional(.string), .optional(.list(.int))]
}

/// Reads choices from the input bytes; past the end, every choice is 0 (the smallest option).
struct ByteSource {
    var bytes: [UInt8]
    var position = 0

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func choose(_ n: Int) -> Int { n <= 1 ? 0 : Int(byte()) % n }

    mutating func pick<T>(_ options: [T]) -> T { options[choose(options.count)] }
}

struct ExprGenerator {
    var source: ByteSource
    var scope: [(name: String, type: GenType)]
    var fresh = 0

    static let variables: [(name: String, type: GenType)] = [
        ("x", .int), ("z", .int), ("y", .double), ("s", .string), ("b", .bool),
        ("l", .list(.int)), ("lf", .list(.double)), ("ls", .list(.string)),
    ]

    static let intLiterals = ["0", "1", "2", "-1", "3", "7", "-5", "100", "9223372036854775807", "-9223372036854775808",
                              "4611686018427387904", "-4611686018427387904", "3037000500"]
    static let doubleLiterals = ["0.0", "-0.0", "1.5", "-2.25", "0.1", "1e308", "-1e308", "5e-324", "3.0", "1e-300"]
    static let stringLiterals = ["''", "'a'", "'b'", "'ab'", "'\u{e9}'", "'e\u{301}'", "'\u{1F600}'", "'A'", "'\u{0}'", "'Z\u{10FFFF}'"]

    init(_ source: ByteSource) {
        self.source = source
        self.scope = Self.variables
    }

    mutating func expr(_ type: GenType, _ depth: Int) -> String {
        if depth <= 0 || source.choose(4) == 0 { return leaf(type) }
        let d = depth - 1
        switch type {
        case .int:
            switch source.choose(9) {
            case 0: return "(\(expr(.int, d)) \(source.pick(["+", "-", "*", "/", "%"])) \(expr(.int, d)))"
            case 1: return "(-\(expr(.int, d)))"
            case 2:
                let t = source.pick([GenType.string, .list(.int), .list(.double), .list(.string)])
                return source.choose(2) == 0 ? "size(\(expr(t, d)))" : "\(expr(t, d)).size()"
            case 3: return index(.int, d)
            case 4: return ternary(.int, d)
            case 5: return unwrapped(.int, d)
            case 6: return binding(.int, d)
            default: return "(\(expr(.int, d)) \(source.pick(["+", "-", "*"])) \(expr(.int, d)))"
            }
        case .double:
            switch source.choose(5) {
            case 0: return "(\(expr(.double, d)) \(source.pick(["+", "-", "*", "/"])) \(expr(.double, d)))"
            case 1: return "(-\(expr(.double, d)))"
            case 2: return index(.double, d)
            case 3: return unwrapped(.double, d)
            default: return ternary(.double, d)
            }
        case .bool:
            switch source.choose(11) {
            case 0, 1:
                let t = source.pick(GenType.scalars + GenType.lists + GenType.optionals)
                let ops: [String]
                switch t {
                case .list, .optional: ops = ["==", "!="]
                default: ops = ["==", "!=", "<", "<=", ">", ">="]
                }
                return "(\(expr(t, d)) \(source.pick(ops)) \(expr(t, d)))"
            case 2: return "(\(expr(.bool, d)) \(source.pick(["&&", "||"])) \(expr(.bool, d)))"
            case 3: return "(!\(expr(.bool, d)))"
            case 4:
                let t = source.pick(GenType.elements)
                return "(\(expr(t, d)) in \(expr(.list(t), d)))"
            case 5: return ternary(.bool, d)
            case 6: return "\(expr(source.pick(GenType.optionals), d)).hasValue()"
            case 7:
                let (range, index, variable, body) = twoVariableParts(.bool, d)
                return "\(range).\(source.pick(["all", "exists", "existsOne"]))(\(index), \(variable), \(body))"
            case 8: return binding(.bool, d)
            default:
                let (range, variable, body) = macroParts(.bool, d)
                return "\(range).\(source.pick(["all", "exists", "exists_one"]))(\(variable), \(body))"
            }
        case .string:
            switch source.choose(4) {
            case 0: return "(\(expr(.string, d)) + \(expr(.string, d)))"
            case 1: return index(.string, d)
            case 2: return unwrapped(.string, d)
            default: return ternary(.string, d)
            }
        case .list(let element):
            switch source.choose(8) {
            case 0: return "(\(expr(type, d)) + \(expr(type, d)))"
            case 1: return ternary(type, d)
            case 2:
                let (range, variable, body) = macroParts(element, d)
                return "\(range).map(\(variable), \(body))"
            case 3:
                let range = expr(type, d)
                let variable = bind(element)
                defer { scope.removeLast() }
                return "\(range).filter(\(variable), \(expr(.bool, d)))"
            case 4:
                let filtered = source.choose(2) == 0
                let (range, index, variable, body) = twoVariableParts(element, d, filtered: filtered)
                return "\(range).transformList(\(index), \(variable), \(body))"
            case 5:
                // Optional elements: `?o` is included only when `o` has a value.
                let items = (0..<(1 + source.choose(3))).map { _ in
                    source.choose(2) == 0 ? expr(element, d) : "?" + expr(.optional(element), d)
                }
                return "[" + items.joined(separator: ", ") + "]"
            default: return literalList(element, d)
            }
        case .optional(let wrapped):
            switch source.choose(9) {
            case 0: return "optional.of(\(expr(wrapped, d)))"
            case 1: return "optional.ofNonZeroValue(\(expr(wrapped, d)))"
            case 2: return "\(expr(type, d)).or(\(expr(type, d)))"
            case 3: return "\(expr(.list(wrapped), d))[?\(expr(.int, d))]"
            case 4:
                let (operand, variable, body) = macroParts(wrapped, d, holding: GenType.optional)
                return "\(operand).optMap(\(variable), \(body))"
            case 5:
                let (operand, variable, body) = macroParts(type, d, holding: GenType.optional)
                return "\(operand).optFlatMap(\(variable), \(body))"
            case 6: return binding(type, d)
            case 7: return "optional.none()"
            default: return ternary(type, d)
            }
        }
    }

    /// `o.value()` (an error when `o` is absent) or `o.orValue(e)` (`e` evaluated only then).
    mutating func unwrapped(_ type: GenType, _ d: Int) -> String {
        let operand = expr(.optional(type), d)
        return source.choose(2) == 0 ? "\(operand).value()" : "\(operand).orValue(\(expr(type, d)))"
    }

    /// `cel.bind(v, init, body)` with `v` of some element type, in scope in the body only.
    mutating func binding(_ type: GenType, _ d: Int) -> String {
        let boundType = source.pick(GenType.elements + [.list(.int)])
        let initial = expr(boundType, d)
        let variable = bind(boundType)
        defer { scope.removeLast() }
        return "cel.bind(\(variable), \(initial), \(expr(type, d)))"
    }

    /// A list range, its index and element variables (in scope for the body), and a body;
    /// `filtered` puts a bool filter before the body (`transformList(i, v, filter, body)`).
    mutating func twoVariableParts(_ bodyType: GenType, _ d: Int, filtered: Bool = false) -> (String, String, String, String) {
        let element = source.pick(GenType.elements)
        let range = expr(.list(element), d)
        let index = bind(.int), variable = bind(element)
        defer { scope.removeLast(2) }
        let body = expr(bodyType, d)
        return (range, index, variable, filtered ? "\(expr(.bool, d)), \(body)" : body)
    }

    /// An operand holding some element type (a list by default; `optMap` passes
    /// `GenType.optional`), a fresh variable bound to its elements, and a body of `bodyType`.
    mutating func macroParts(_ bodyType: GenType, _ d: Int,
                             holding container: (GenType) -> GenType = GenType.list) -> (String, String, String) {
        let element = source.pick(GenType.elements)
        let operand = expr(container(element), d)
        let variable = bind(element)
        defer { scope.removeLast() }
        return (operand, variable, expr(bodyType, d))
    }

    mutating func bind(_ type: GenType) -> String {
        fresh += 1
        let name = "v\(fresh)"
        scope.append((name, type))
        return name
    }

    mutating func index(_ element: GenType, _ d: Int) -> String {
        "\(expr(.list(element), d))[\(expr(.int, d))]"
    }

    mutating func ternary(_ type: GenType, _ d: Int) -> String {
        "(\(expr(.bool, d)) ? \(expr(type, d)) : \(expr(type, d)))"
    }

    mutating func literalList(_ element: GenType, _ d: Int) -> String {
        let count = source.choose(4)
        return "[" + (0..<count).map { _ in expr(element, d) }.joined(separator: ", ") + "]"
    }

    mutating func leaf(_ type: GenType) -> String {
        let variables = scope.filter { $0.type == type }.map(\.name)
        if !variables.isEmpty, source.choose(2) == 0 { return source.pick(variables) }
        switch type {
        case .int: return "(\(source.pick(Self.intLiterals)))"
        case .double: return "(\(source.pick(Self.doubleLiterals)))"
        case .bool: return source.pick(["true", "false"])
        case .string: return source.pick(Self.stringLiterals)
        case .list(let element): return literalList(element, 0)
        case .optional(let wrapped): return source.choose(3) == 0 ? "optional.none()" : "optional.of(\(leaf(wrapped)))"
        }
    }

    // MARK: Inputs

    static let intValues: [Int64] = [0, 1, -1, 2, 5, Int64.max, Int64.min, 3_037_000_500, -7, 1 << 62]
    static let doubleValues: [Double] = [0, -0.0, 1.5, .nan, .infinity, -.infinity, 1e308, .leastNonzeroMagnitude, -3, 0.1]
    static let stringValues = ["", "a", "b", "ab", "\u{e9}", "e\u{301}", "\u{1F600}", "B", "aa", "\u{0}"]

    mutating func value(_ type: GenType) -> CELValue {
        switch type {
        case .int: return .int(source.pick(Self.intValues))
        case .double: return .double(source.pick(Self.doubleValues))
        case .bool: return .bool(source.choose(2) == 1)
        case .string: return .string(source.pick(Self.stringValues))
        case .list(let element): return .list((0..<source.choose(5)).map { _ in value(element) })
        case .optional(let wrapped): return source.choose(3) == 0 ? .optional(nil) : .optional(value(wrapped))
        }
    }
}

extension FuzzHarness {
    static let differentialLimits = Limits(fuel: 2_000_000, memory: 16 << 20)

    static let differentialEnvironment = Environment(
        variables: Dictionary(uniqueKeysWithValues: ExprGenerator.variables.map { ($0.name, $0.type.cel) }),
        limits: differentialLimits)

    /// Generates an expression and an input from `bytes`; returns nil when the bytes are too short.
    public static func generateDifferentialCase(_ bytes: [UInt8]) -> (source: String, bindings: [String: CELValue])? {
        guard bytes.count >= 2 else { return nil }
        var generator = ExprGenerator(ByteSource(bytes: bytes))
        let depth = 1 + generator.source.choose(5)
        let type = generator.source.pick(GenType.scalars + GenType.lists + GenType.optionals)
        var bindings: [String: CELValue] = [:]
        for (name, type) in ExprGenerator.variables { bindings[name] = generator.value(type) }
        let source = generator.expr(type, depth)
        return (source, bindings)
    }

    /// Differential testing of the bytecode interpreter against the reference evaluator.
    public static func differential(_ bytes: [UInt8]) {
        guard let (source, bindings) = generateDifferentialCase(bytes) else { return }
        let checked: CheckedExpr
        let program: Program
        do {
            checked = try Spectral.check(source, in: differentialEnvironment)
            program = try compile(source, in: differentialEnvironment)
        } catch {
            check(false, "generated expression does not compile: \(source)\n\(error)")
            return
        }
        guard let expected = ReferenceEvaluator.evaluate(checked, bindings) else {
            check(false, "reference evaluator does not support: \(source)")
            return
        }
        let actual = program.evaluate(bindings)
        checkBound(program, actual)
        switch (expected, actual.result) {
        case (_, .failure(let error)) where error.isResourceLimit:
            return  // the reference has no fuel; nothing to compare
        case (.value(let x), .success(let y)):
            check(identical(x, y), "value differs for \(source)\ninput \(bindings)\nreference \(x)\ninterpreter \(y)")
        case (.error(let x), .failure(.evaluation(let y))):
            check(errorKind(x) == errorKind(y),
                  "error kind differs for \(source)\ninput \(bindings)\nreference \(x)\ninterpreter \(y)")
        default:
            check(false, "outcome differs for \(source)\ninput \(bindings)\nreference \(expected)\ninterpreter \(actual.result)")
        }
    }

    /// The kind of a CEL error, from its message (the reference's words or the interpreter's).
    static func errorKind(_ message: String) -> String {
        for kind in ["overflow", "division by zero", "modulus by zero", "optional.none() dereference"]
        where message.contains(kind) { return kind }
        if message.contains("index") { return "index" }
        return "other: " + message
    }

    /// Equality for comparing evaluators: doubles bit for bit (NaN matches NaN), strings by code points.
    static func identical(_ a: CELValue, _ b: CELValue) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)): return (x.isNaN && y.isNaN) || x.bitPattern == y.bitPattern
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
        case (.optional(let x?), .optional(let y?)): return identical(x, y)
        default: return a == b
        }
    }
}
