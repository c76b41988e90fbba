import SpectralBytecode

/// CEL's operators as the checker sees them. The code generator compiles every one to an
/// instruction (`add`, `ltInt`, `index`, ...; see `Operators` and `Interpreter`), so no
/// overload here has a library implementation. (`_&&_`, `_||_`, `_?_:_` and
/// `@not_strictly_false` are checked specially.)
enum OperatorSignatures {
    private static let A = SignatureType.param("A")
    private static let B = SignatureType.param("B")
    private static let numbers: [SignatureType] = [.int, .uint, .double]
    private static let ordered: [SignatureType] = [.bool, .string, .bytes, .timestamp, .duration]

    /// The type's name in overload ids (cel-go's spelling).
    static func idName(_ t: SignatureType) -> String {
        switch t {
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        case .list: return "list"
        case .map: return "map"
        default: return "dyn"
        }
    }

    private static func arithmetic(_ op: String, _ id: String, _ types: [SignatureType]) -> LibraryFunction {
        LibraryFunction(op, types.map { .instruction("\(id)_\(idName($0))", [$0, $0], $0) })
    }

    private static func relation(_ op: String, _ id: String) -> LibraryFunction {
        var overloads = (ordered + numbers).map { LibraryOverload.instruction("\(id)_\(idName($0))", [$0, $0], .bool) }
        for x in numbers {
            for y in numbers where x != y {
                overloads.append(.instruction("\(id)_\(idName(x))_\(idName(y))", [x, y], .bool))
            }
        }
        return LibraryFunction(op, overloads)
    }

    static let functions: [LibraryFunction] = [
        LibraryFunction("_+_", [
            .instruction("add_int", [.int, .int], .int),
            .instruction("add_uint", [.uint, .uint], .uint),
            .instruction("add_double", [.double, .double], .double),
            .instruction("add_string", [.string, .string], .string),
            .instruction("add_bytes", [.bytes, .bytes], .bytes),
            .instruction("add_list", [.list(A), .list(A)], .list(A)),
            .instruction("add_timestamp_duration", [.timestamp, .duration], .timestamp),
            .instruction("add_duration_timestamp", [.duration, .timestamp], .timestamp),
            .instruction("add_duration_duration", [.duration, .duration], .duration),
        ]),
        LibraryFunction("_-_", [
            .instruction("subtract_int", [.int, .int], .int),
            .instruction("subtract_uint", [.uint, .uint], .uint),
            .instruction("subtract_double", [.double, .double], .double),
            .instruction("subtract_timestamp_timestamp", [.timestamp, .timestamp], .duration),
            .instruction("subtract_timestamp_duration", [.timestamp, .duration], .timestamp),
            .instruction("subtract_duration_duration", [.duration, .duration], .duration),
        ]),
        arithmetic("_*_", "multiply", numbers),
        arithmetic("_/_", "divide", numbers),
        arithmetic("_%_", "modulo", [.int, .uint]),
        LibraryFunction("-_", [.instruction("negate_int", [.int], .int), .instruction("negate_double", [.double], .double)]),
        LibraryFunction("!_", [.instruction("logical_not", [.bool], .bool)]),
        LibraryFunction("_==_", [.instruction("equals", [A, A], .bool)]),
        LibraryFunction("_!=_", [.instruction("not_equals", [A, A], .bool)]),
        relation("_<_", "less"),
        relation("_<=_", "less_equals"),
        relation("_>_", "greater"),
        relation("_>=_", "greater_equals"),
        LibraryFunction("@in", [
            .instruction("in_list", [A, .list(A)], .bool),
            .instruction("in_map", [A, .map(A, B)], .bool),
        ]),
        LibraryFunction("_[_]", [
            .instruction("index_list", [.list(A), .int], A),
            .instruction("index_map", [.map(A, B), A], B),
            // Indexing an optional aggregate gives an optional.
            .instruction("optional_list_index_int", [.optional(.list(A)), .int], .optional(A)),
            .instruction("optional_map_index_value", [.optional(.map(A, B)), A], .optional(B)),
        ]),
    ]
}
