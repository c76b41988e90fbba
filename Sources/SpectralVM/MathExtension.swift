import SpectralBytecode

/// CEL's `math` extension library (cel-go `ext.Math`). Every function is a global whose
/// name carries the `math.` prefix; the compiler resolves `math.greatest(...)` to it.
enum MathExtension {
    /// `math.greatest` / `math.least` take 1...N arguments (or a single list). Variadic
    /// calls are declared per arity up to this bound.
    static let maxVariadicArity = 32

    static let functions: [LibraryFunction] = [
        extremum("math.greatest", id: "max", wanted: .greater),
        extremum("math.least", id: "min", wanted: .less),
        rounding("math.ceil", "math_ceil_double") { .double($0.rounded(.up)) },
        rounding("math.floor", "math_floor_double") { .double($0.rounded(.down)) },
        rounding("math.round", "math_round_double") { .double($0.rounded(.toNearestOrAwayFromZero)) },
        rounding("math.trunc", "math_trunc_double") { .double($0.rounded(.towardZero)) },
        predicate("math.isInf", "math_isInf_double") { .bool($0.isInfinite) },
        predicate("math.isNaN", "math_isNaN_double") { .bool($0.isNaN) },
        predicate("math.isFinite", "math_isFinite_double") { .bool($0.isFinite) },
        LibraryFunction("math.abs", [
            .global("math_abs_int", [.int], .int) { heap, args in
                guard case .int(let i) = args[0] else { return noSuchOverload("math.abs", args, &heap) }
                // -Int64.min is not representable.
                if i == .min { return heap.makeError("integer overflow in math.abs: \(i)") }
                return .int(i < 0 ? -i : i)
            },
            .global("math_abs_uint", [.uint], .uint, Conversions.identity(.uint, "math.abs")),
            .global("math_abs_double", [.double], .double) { heap, args in
                guard case .double(let d) = args[0] else { return noSuchOverload("math.abs", args, &heap) }
                return .double(abs(d))
            },
        ]),
        LibraryFunction("math.sign", [
            .global("math_sign_int", [.int], .int) { heap, args in
                guard case .int(let i) = args[0] else { return noSuchOverload("math.sign", args, &heap) }
                return .int(i.signum())
            },
            .global("math_sign_uint", [.uint], .uint) { heap, args in
                guard case .uint(let u) = args[0] else { return noSuchOverload("math.sign", args, &heap) }
                return .uint(u == 0 ? 0 : 1)
            },
            .global("math_sign_double", [.double], .double) { heap, args in
                guard case .double(let d) = args[0] else { return noSuchOverload("math.sign", args, &heap) }
                if d.isNaN { return args[0] }
                return .double(d > 0 ? 1 : (d < 0 ? -1 : 0))
            },
        ]),
        LibraryFunction("math.sqrt", [
            .global("math_sqrt_int", [.int], .double) { heap, args in
                guard case .int(let i) = args[0] else { return noSuchOverload("math.sqrt", args, &heap) }
                return .double(Double(i).squareRoot())
            },
            .global("math_sqrt_uint", [.uint], .double) { heap, args in
                guard case .uint(let u) = args[0] else { return noSuchOverload("math.sqrt", args, &heap) }
                return .double(Double(u).squareRoot())
            },
            .global("math_sqrt_double", [.double], .double) { heap, args in
                guard case .double(let d) = args[0] else { return noSuchOverload("math.sqrt", args, &heap) }
                return .double(d.squareRoot())
            },
        ]),
        bitwise("math.bitAnd", "bitAnd") { $0 & $1 },
        bitwise("math.bitOr", "bitOr") { $0 | $1 },
        bitwise("math.bitXor", "bitXor") { $0 ^ $1 },
        LibraryFunction("math.bitNot", [
            .global("math_bitNot_int_int", [.int], .int) { heap, args in
                guard case .int(let x) = args[0] else { return noSuchOverload("math.bitNot", args, &heap) }
                return .int(~x)
            },
            .global("math_bitNot_uint_uint", [.uint], .uint) { heap, args in
                guard case .uint(let x) = args[0] else { return noSuchOverload("math.bitNot", args, &heap) }
                return .uint(~x)
            },
        ]),
        shift("math.bitShiftLeft", "bitShiftLeft", left: true),
        shift("math.bitShiftRight", "bitShiftRight", left: false),
    ]

    // MARK: greatest / least

    /// One number, two numbers of any mix, a list, or (as plain `dyn` overloads) 3...N
    /// arguments. Every overload shares one implementation: the arguments may mix number
    /// kinds, so comparing them is the work itself, not a dispatch.
    private static func extremum(_ name: String, id: String, wanted: Ordering.Result) -> LibraryFunction {
        let body: Builtin = { heap, args in
            if args.count == 1, case .list(let h) = args[0] {
                let elements = heap.lists[Int(h)]
                if elements.isEmpty { return heap.makeError("\(name)(list) argument must not be empty") }
                return extremum(name, elements, wanted, &heap)
            }
            return extremum(name, Array(args), wanted, &heap)
        }
        let numbers: [(String, SignatureType)] = [("int", .int), ("uint", .uint), ("double", .double)]
        var overloads: [LibraryOverload] = []
        for (label, type) in numbers {
            overloads.append(.global("math_@\(id)_\(label)", [type], type, body))
        }
        // Pairs: the same type keeps it; a mix may return either argument.
        for (l1, t1) in numbers {
            for (l2, t2) in numbers {
                overloads.append(.global("math_@\(id)_\(l1)_\(l2)", [t1, t2], t1 == t2 ? t1 : .dyn, body))
            }
        }
        for (label, type) in numbers {
            overloads.append(.global("math_@\(id)_list_\(label)", [.list(type)], type, body))
        }
        overloads.append(.global("math_@\(id)_list_dyn", [.list(.dyn)], .dyn, body))
        for arity in 3...maxVariadicArity {
            overloads.append(.global("math_@\(id)_dyn_\(arity)", Array(repeating: .dyn, count: arity), .dyn, body))
        }
        return LibraryFunction(name, overloads)
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

    private static func rounding(_ name: String, _ id: String, _ body: @escaping @Sendable (Double) -> Value) -> LibraryFunction {
        LibraryFunction(name, [.global(id, [.double], .double, onDouble(name, body))])
    }

    private static func predicate(_ name: String, _ id: String, _ body: @escaping @Sendable (Double) -> Value) -> LibraryFunction {
        LibraryFunction(name, [.global(id, [.double], .bool, onDouble(name, body))])
    }

    private static func onDouble(_ name: String, _ body: @escaping @Sendable (Double) -> Value) -> Builtin {
        { heap, args in
            guard case .double(let d) = args[0] else { return noSuchOverload(name, args, &heap) }
            return body(d)
        }
    }

    // MARK: Bitwise operations (int with int, uint with uint; shift counts are ints)

    private static func bitwise(_ name: String, _ op: String, _ apply: @escaping @Sendable (UInt64, UInt64) -> UInt64) -> LibraryFunction {
        LibraryFunction(name, [
            .global("math_\(op)_int_int", [.int, .int], .int) { heap, args in
                guard case .int(let x) = args[0], case .int(let y) = args[1] else { return noSuchOverload(name, args, &heap) }
                return .int(Int64(bitPattern: apply(UInt64(bitPattern: x), UInt64(bitPattern: y))))
            },
            .global("math_\(op)_uint_uint", [.uint, .uint], .uint) { heap, args in
                guard case .uint(let x) = args[0], case .uint(let y) = args[1] else { return noSuchOverload(name, args, &heap) }
                return .uint(apply(x, y))
            },
        ])
    }

    private static func shift(_ name: String, _ op: String, left: Bool) -> LibraryFunction {
        /// Shifts of 64 or more clear every bit; right shifts are logical for ints too.
        @Sendable func shifted(_ bits: UInt64, _ count: Int64) -> UInt64 {
            count >= 64 ? 0 : (left ? bits << UInt64(count) : bits >> UInt64(count))
        }
        return LibraryFunction(name, [
            .global("math_\(op)_int_int", [.int, .int], .int) { heap, args in
                guard case .int(let x) = args[0], case .int(let count) = args[1] else { return noSuchOverload(name, args, &heap) }
                if count < 0 { return heap.makeError("\(name)() negative offset: \(count)") }
                return .int(Int64(bitPattern: shifted(UInt64(bitPattern: x), count)))
            },
            .global("math_\(op)_uint_int", [.uint, .int], .uint) { heap, args in
                guard case .uint(let x) = args[0], case .int(let count) = args[1] else { return noSuchOverload(name, args, &heap) }
                if count < 0 { return heap.makeError("\(name)() negative offset: \(count)") }
                return .uint(shifted(x, count))
            },
        ])
    }
}
