/// Signatures of CEL's standard functions and operators, for the checker.
/// (`_&&_`, `_||_`, `_?_:_` and `@not_strictly_false` are checked specially.)
enum StandardDeclarations {
    static let functions: [FunctionDecl] = operators + core + conversions + time

    private static let A = CELType.param("A")
    private static let B = CELType.param("B")
    private static let numbers: [CELType] = [.int, .uint, .double]
    private static let ordered: [CELType] = [.bool, .string, .bytes, .timestamp, .duration]

    private static func name(_ t: CELType) -> String {
        switch t {
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        case .list: return "list"
        case .map: return "map"
        default: return t.description
        }
    }

    private static func arithmetic(_ op: String, _ id: String, _ types: [CELType]) -> FunctionDecl {
        FunctionDecl(op, types.map { Overload("\(id)_\(name($0))", [$0, $0], $0) })
    }

    private static func relation(_ op: String, _ id: String) -> FunctionDecl {
        var overloads = (ordered + numbers).map { Overload("\(id)_\(name($0))", [$0, $0], .bool) }
        for x in numbers {
            for y in numbers where x != y {
                overloads.append(Overload("\(id)_\(name(x))_\(name(y))", [x, y], .bool))
            }
        }
        return FunctionDecl(op, overloads)
    }

    static let operators: [FunctionDecl] = [
        FunctionDecl("_+_", [
            Overload("add_int", [.int, .int], .int),
            Overload("add_uint", [.uint, .uint], .uint),
            Overload("add_double", [.double, .double], .double),
            Overload("add_string", [.string, .string], .string),
            Overload("add_bytes", [.bytes, .bytes], .bytes),
            Overload("add_list", [.list(A), .list(A)], .list(A)),
            Overload("add_timestamp_duration", [.timestamp, .duration], .timestamp),
            Overload("add_duration_timestamp", [.duration, .timestamp], .timestamp),
            Overload("add_duration_duration", [.duration, .duration], .duration),
        ]),
        FunctionDecl("_-_", [
            Overload("subtract_int", [.int, .int], .int),
            Overload("subtract_uint", [.uint, .uint], .uint),
            Overload("subtract_double", [.double, .double], .double),
            Overload("subtract_timestamp_timestamp", [.timestamp, .timestamp], .duration),
            Overload("subtract_timestamp_duration", [.timestamp, .duration], .timestamp),
            Overload("subtract_duration_duration", [.duration, .duration], .duration),
        ]),
        arithmetic("_*_", "multiply", numbers),
        arithmetic("_/_", "divide", numbers),
        arithmetic("_%_", "modulo", [.int, .uint]),
        FunctionDecl("-_", [Overload("negate_int", [.int], .int), Overload("negate_double", [.double], .double)]),
        FunctionDecl("!_", [Overload("logical_not", [.bool], .bool)]),
        FunctionDecl("_==_", [Overload("equals", [A, A], .bool)]),
        FunctionDecl("_!=_", [Overload("not_equals", [A, A], .bool)]),
        relation("_<_", "less"),
        relation("_<=_", "less_equals"),
        relation("_>_", "greater"),
        relation("_>=_", "greater_equals"),
        FunctionDecl("@in", [
            Overload("in_list", [A, .list(A)], .bool),
            Overload("in_map", [A, .map(A, B)], .bool),
        ]),
        FunctionDecl("_[_]", [
            Overload("index_list", [.list(A), .int], A),
            Overload("index_map", [.map(A, B), A], B),
        ]),
    ]

    static let core: [FunctionDecl] = [
        FunctionDecl("size", [CELType.string, .bytes, .list(A), .map(A, B)].flatMap { t in
            [Overload("size_\(name(t))", [t], .int), Overload("\(name(t))_size", [t], .int, receiver: true)]
        }),
        FunctionDecl("contains", [Overload("contains_string", [.string, .string], .bool, receiver: true)]),
        FunctionDecl("startsWith", [Overload("starts_with_string", [.string, .string], .bool, receiver: true)]),
        FunctionDecl("endsWith", [Overload("ends_with_string", [.string, .string], .bool, receiver: true)]),
        FunctionDecl("matches", [
            Overload("matches", [.string, .string], .bool),
            Overload("matches_string", [.string, .string], .bool, receiver: true),
        ]),
        FunctionDecl("dyn", [Overload("to_dyn", [A], .dyn)]),
        FunctionDecl("type", [Overload("type", [A], .type(A))]),
    ]

    static let conversions: [FunctionDecl] = [
        FunctionDecl("int", [CELType.int, .uint, .double, .string, .timestamp].map { Overload("\(name($0))_to_int", [$0], .int) }),
        FunctionDecl("uint", [CELType.int, .uint, .double, .string].map { Overload("\(name($0))_to_uint", [$0], .uint) }),
        FunctionDecl("double", [CELType.int, .uint, .double, .string].map { Overload("\(name($0))_to_double", [$0], .double) }),
        FunctionDecl("string", [CELType.int, .uint, .double, .bool, .string, .bytes, .timestamp, .duration]
            .map { Overload("\(name($0))_to_string", [$0], .string) }),
        FunctionDecl("bytes", [CELType.string, .bytes].map { Overload("\(name($0))_to_bytes", [$0], .bytes) }),
        FunctionDecl("bool", [CELType.bool, .string].map { Overload("\(name($0))_to_bool", [$0], .bool) }),
        FunctionDecl("timestamp", [CELType.string, .timestamp, .int].map { Overload("\(name($0))_to_timestamp", [$0], .timestamp) }),
        FunctionDecl("duration", [CELType.string, .duration].map { Overload("\(name($0))_to_duration", [$0], .duration) }),
    ]

    static let time: [FunctionDecl] = {
        let timestampAccessors = ["getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek",
                                  "getDayOfYear", "getHours", "getMinutes", "getSeconds", "getMilliseconds"]
        let durationAccessors: Set<String> = ["getHours", "getMinutes", "getSeconds", "getMilliseconds"]
        return timestampAccessors.map { accessor in
            var overloads = [
                Overload("timestamp_\(accessor)", [.timestamp], .int, receiver: true),
                Overload("timestamp_\(accessor)_with_tz", [.timestamp, .string], .int, receiver: true),
            ]
            if durationAccessors.contains(accessor) {
                overloads.append(Overload("duration_\(accessor)", [.duration], .int, receiver: true))
            }
            return FunctionDecl(accessor, overloads)
        }
    }()
}
