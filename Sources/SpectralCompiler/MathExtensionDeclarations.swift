/// Checker declarations for CEL's `math` extension. `math.greatest` / `math.least` take
/// one number, two numbers of any mix, a list, or (as plain `dyn` overloads) 3...N
/// arguments; the VM registers the same arities.
public enum MathExtensionDeclarations {
    /// Keep in step with `MathExtension.maxVariadicArity` in SpectralVM.
    public static let maxVariadicArity = 32

    public static let functions: [FunctionDecl] = [
        extremum("math.greatest", id: "max"),
        extremum("math.least", id: "min"),
        unaryDouble("math.ceil", "math_ceil_double", .double),
        unaryDouble("math.floor", "math_floor_double", .double),
        unaryDouble("math.round", "math_round_double", .double),
        unaryDouble("math.trunc", "math_trunc_double", .double),
        unaryDouble("math.isInf", "math_isInf_double", .bool),
        unaryDouble("math.isNaN", "math_isNaN_double", .bool),
        unaryDouble("math.isFinite", "math_isFinite_double", .bool),
        FunctionDecl("math.abs", [
            Overload("math_abs_int", [.int], .int),
            Overload("math_abs_uint", [.uint], .uint),
            Overload("math_abs_double", [.double], .double),
        ]),
        FunctionDecl("math.sign", [
            Overload("math_sign_int", [.int], .int),
            Overload("math_sign_uint", [.uint], .uint),
            Overload("math_sign_double", [.double], .double),
        ]),
        FunctionDecl("math.sqrt", [
            Overload("math_sqrt_int", [.int], .double),
            Overload("math_sqrt_uint", [.uint], .double),
            Overload("math_sqrt_double", [.double], .double),
        ]),
        bitwise("math.bitAnd", "bitAnd"),
        bitwise("math.bitOr", "bitOr"),
        bitwise("math.bitXor", "bitXor"),
        FunctionDecl("math.bitNot", [
            Overload("math_bitNot_int_int", [.int], .int),
            Overload("math_bitNot_uint_uint", [.uint], .uint),
        ]),
        FunctionDecl("math.bitShiftLeft", [
            Overload("math_bitShiftLeft_int_int", [.int, .int], .int),
            Overload("math_bitShiftLeft_uint_int", [.uint, .int], .uint),
        ]),
        FunctionDecl("math.bitShiftRight", [
            Overload("math_bitShiftRight_int_int", [.int, .int], .int),
            Overload("math_bitShiftRight_uint_int", [.uint, .int], .uint),
        ]),
    ]

    private static func unaryDouble(_ name: String, _ id: String, _ result: CELType) -> FunctionDecl {
        FunctionDecl(name, [Overload(id, [.double], result)])
    }

    private static func bitwise(_ name: String, _ op: String) -> FunctionDecl {
        FunctionDecl(name, [
            Overload("math_\(op)_int_int", [.int, .int], .int),
            Overload("math_\(op)_uint_uint", [.uint, .uint], .uint),
        ])
    }

    private static func extremum(_ name: String, id: String) -> FunctionDecl {
        let numbers: [(String, CELType)] = [("int", .int), ("uint", .uint), ("double", .double)]
        var overloads: [Overload] = []
        for (label, type) in numbers {
            overloads.append(Overload("math_@\(id)_\(label)", [type], type))
        }
        // Pairs: the same type keeps it; a mix may return either argument.
        for (l1, t1) in numbers {
            for (l2, t2) in numbers {
                overloads.append(Overload("math_@\(id)_\(l1)_\(l2)", [t1, t2], t1 == t2 ? t1 : .dyn))
            }
        }
        for (label, type) in numbers {
            overloads.append(Overload("math_@\(id)_list_\(label)", [.list(type)], type))
        }
        overloads.append(Overload("math_@\(id)_list_dyn", [.list(.dyn)], .dyn))
        for arity in 3...maxVariadicArity {
            overloads.append(Overload("math_@\(id)_dyn_\(arity)", Array(repeating: .dyn, count: arity), .dyn))
        }
        return FunctionDecl(name, overloads)
    }
}
