/// CEL's `math` extension library (cel-go `ext.Math`). Every function is a global whose
/// name carries the `math.` prefix; the compiler resolves `math.greatest(...)` to it.
enum MathExtension {
    /// `math.greatest` / `math.least` take 1...N arguments (or a single list). Variadic
    /// calls are registered per arity up to this bound.
    static let maxVariadicArity = 32

    static func register(_ r: inout Registry) {
        registerExtrema(&r)
        registerRounding(&r)
        registerSigns(&r)
        registerBitwise(&r)
    }

    // MARK: greatest / least

    private static func registerExtrema(_ r: inout Registry) {
        for (name, wanted) in [("math.greatest", Ordering.Result.greater), ("math.least", .less)] {
            for arity in 1...maxVariadicArity {
                r.global(name, arity: arity) { heap, args in
                    if arity == 1, case .list(let h) = args[0] {
                        let elements = heap.lists[Int(h)]
                        if elements.isEmpty { return heap.makeError("\(name)(list) argument must not be empty") }
                        return extremum(name, elements, wanted, &heap)
                    }
                    return extremum(name, Array(args), wanted, &heap)
                }
            }
        }
    }

    /// The element that compares `wanted` against all others; on ties the earliest wins.
    /// Non-numbers have no overload; NaN cannot be ordered.
    private static func extremum(_ name: String, _ values: [Value], _ wanted: Ordering.Result, _ heap: inout Heap) -> Value {
        heap.chargeWork(elements: values.count)
        var best = values[0]
        for value in values {
            switch value {
            case .int, .uint, .double: break
            default: return heap.makeError("no such overload: \(name)(\(value.typeKind.name))")
            }
        }
        for value in values.dropFirst() {
            switch Ordering.compareNumbers(value, best) {
            case wanted: best = value
            case .unordered: return heap.makeError("\(name): NaN values cannot be ordered")
            default: break
            }
        }
        if case .double(let d) = best, d.isNaN { return heap.makeError("\(name): NaN values cannot be ordered") }
        return best
    }

    // MARK: Rounding and floating-point predicates (doubles only, as in cel-go)

    private static func registerRounding(_ r: inout Registry) {
        let doubleFunctions: [(String, @Sendable (Double) -> Value)] = [
            ("math.ceil", { .double($0.rounded(.up)) }),
            ("math.floor", { .double($0.rounded(.down)) }),
            ("math.round", { .double($0.rounded(.toNearestOrAwayFromZero)) }),
            ("math.trunc", { .double($0.rounded(.towardZero)) }),
            ("math.isInf", { .bool($0.isInfinite) }),
            ("math.isNaN", { .bool($0.isNaN) }),
            ("math.isFinite", { .bool($0.isFinite) }),
        ]
        for (name, body) in doubleFunctions {
            r.global(name, arity: 1) { heap, args in
                guard case .double(let d) = args[0] else { return noSuchOverload(name, args, &heap) }
                return body(d)
            }
        }
        r.global("math.sqrt", arity: 1) { heap, args in
            switch args[0] {
            case .int(let i): return .double(Double(i).squareRoot())
            case .uint(let u): return .double(Double(u).squareRoot())
            case .double(let d): return .double(d.squareRoot())
            default: return noSuchOverload("math.sqrt", args, &heap)
            }
        }
    }

    // MARK: abs / sign

    private static func registerSigns(_ r: inout Registry) {
        r.global("math.abs", arity: 1) { heap, args in
            switch args[0] {
            case .int(let i):
                // -Int64.min is not representable.
                if i == .min { return heap.makeError("integer overflow in math.abs: \(i)") }
                return .int(i < 0 ? -i : i)
            case .uint: return args[0]
            case .double(let d): return .double(abs(d))
            default: return noSuchOverload("math.abs", args, &heap)
            }
        }
        r.global("math.sign", arity: 1) { heap, args in
            switch args[0] {
            case .int(let i): return .int(i.signum())
            case .uint(let u): return .uint(u == 0 ? 0 : 1)
            case .double(let d):
                if d.isNaN { return args[0] }
                return .double(d > 0 ? 1 : (d < 0 ? -1 : 0))
            default: return noSuchOverload("math.sign", args, &heap)
            }
        }
    }

    // MARK: Bitwise operations (int with int, uint with uint; shift counts are ints)

    private static func registerBitwise(_ r: inout Registry) {
        let binary: [(String, @Sendable (UInt64, UInt64) -> UInt64)] = [
            ("math.bitAnd", { $0 & $1 }),
            ("math.bitOr", { $0 | $1 }),
            ("math.bitXor", { $0 ^ $1 }),
        ]
        for (name, op) in binary {
            r.global(name, arity: 2) { heap, args in
                switch (args[0], args[1]) {
                case (.int(let x), .int(let y)):
                    return .int(Int64(bitPattern: op(UInt64(bitPattern: x), UInt64(bitPattern: y))))
                case (.uint(let x), .uint(let y)):
                    return .uint(op(x, y))
                default:
                    return noSuchOverload(name, args, &heap)
                }
            }
        }
        r.global("math.bitNot", arity: 1) { heap, args in
            switch args[0] {
            case .int(let x): return .int(~x)
            case .uint(let x): return .uint(~x)
            default: return noSuchOverload("math.bitNot", args, &heap)
            }
        }
        for (name, left) in [("math.bitShiftLeft", true), ("math.bitShiftRight", false)] {
            r.global(name, arity: 2) { heap, args in
                guard case .int(let count) = args[1] else { return noSuchOverload(name, args, &heap) }
                let bits: UInt64
                switch args[0] {
                case .int(let x): bits = UInt64(bitPattern: x)
                case .uint(let x): bits = x
                default: return noSuchOverload(name, args, &heap)
                }
                if count < 0 { return heap.makeError("\(name)() negative offset: \(count)") }
                // Shifts of 64 or more clear every bit; right shifts are logical for ints too.
                let shifted = count >= 64 ? 0 : (left ? bits << UInt64(count) : bits >> UInt64(count))
                if case .int = args[0] { return .int(Int64(bitPattern: shifted)) }
                return .uint(shifted)
            }
        }
    }
}
