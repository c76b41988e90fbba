import SpectralBytecode

/// Optional values at run time: the functions of cel-go's `OptionalTypes` library and the
/// optional forms of selection and indexing. An optional is a heap object holding a value
/// or nothing; selecting through an absent optional stays absent rather than failing.
enum OptionalValues {
    private static let A = SignatureType.param("A")
    private static let B = SignatureType.param("B")

    static let functions: [LibraryFunction] = [
        LibraryFunction("optional.of", [
            .global("optional_of", [A], .optional(A)) { heap, args throws(Trap) in
                if args[0].isError { return args[0] }
                return try heap.makeObject(.optional(args[0]))
            },
        ]),
        LibraryFunction("optional.ofNonZeroValue", [
            .global("optional_ofNonZeroValue", [A], .optional(A)) { heap, args throws(Trap) in
                if args[0].isError { return args[0] }
                return try heap.makeObject(.optional(isZero(args[0], in: heap) ? nil : args[0]))
            },
        ]),
        LibraryFunction("optional.none", [
            .global("optional_none", [], .optional(A)) { heap, _ throws(Trap) in try heap.makeObject(.optional(nil)) },
        ]),
        LibraryFunction("hasValue", [
            .receiver("optional_hasValue", [.optional(A)], .bool) { heap, args throws(Trap) in
                guard let wrapped = unwrap(args[0], in: heap) else { return noSuchOverload("hasValue", args, &heap) }
                return .bool(wrapped != nil)
            },
        ]),
        LibraryFunction("value", [
            .receiver("optional_value", [.optional(A)], A) { heap, args throws(Trap) in
                guard let wrapped = unwrap(args[0], in: heap) else { return noSuchOverload("value", args, &heap) }
                return wrapped ?? heap.makeError("optional.none() dereference")
            },
        ]),
        LibraryFunction("orValue", [
            .receiver("optional_orValue_value", [.optional(A), A], A) { heap, args throws(Trap) in
                guard let wrapped = unwrap(args[0], in: heap) else { return noSuchOverload("orValue", args, &heap) }
                return wrapped ?? args[1]
            },
        ]),
        LibraryFunction("or", [
            .receiver("optional_or_optional", [.optional(A), .optional(A)], .optional(A)) { heap, args throws(Trap) in
                guard let wrapped = unwrap(args[0], in: heap) else { return noSuchOverload("or", args, &heap) }
                if wrapped != nil { return args[0] }
                guard unwrap(args[1], in: heap) != nil else { return noSuchOverload("or", args, &heap) }
                return args[1]
            },
        ]),
        // `a.?f`: one implementation walks maps and optionals alike (selecting through an
        // optional is part of the operation, not a choice between overloads).
        LibraryFunction("_?._", [
            .global("select_optional_field", [.map(A, B), .string], .optional(B), select),
            .global("select_optional_field_optional", [.optional(.map(A, B)), .string], .optional(B), select),
        ]),
        // `a[?k]`, likewise.
        LibraryFunction("_[?_]", [
            .global("list_optindex_optional_int", [.list(A), .int], .optional(A), index),
            .global("map_optindex_optional_value", [.map(A, B), A], .optional(B), index),
            .global("optional_list_optindex_optional_int", [.optional(.list(A)), .int], .optional(A), index),
            .global("optional_map_optindex_optional_value", [.optional(.map(A, B)), A], .optional(B), index),
        ]),
        // `[a, ?b]` and `{?k: v}`: the code generator's own calls, never written in source.
        LibraryFunction("@optional_list", [
            .global("optional_list_compact", [.list(.dyn), .list(.int)], .list(.dyn)) { heap, args throws(Trap) in
                try compactList(args[0], positions: args[1], &heap)
            },
        ]),
        LibraryFunction("@optional_map", [
            .global("optional_map_compact", [.map(.dyn, .dyn), .list(.int)], .map(.dyn, .dyn)) { heap, args throws(Trap) in
                try compactMap(args[0], positions: args[1], &heap)
            },
        ]),
    ]

    private static let select: Builtin = { heap, args throws(Trap) in
        guard case .string(let field) = args[1] else { return noSuchOverload("_?._", args, &heap) }
        return try optionalSelect(args[0], heap.string(field), &heap)
    }

    private static let index: Builtin = { heap, args throws(Trap) in try optionalIndex(args[0], args[1], &heap) }

    /// The content of an optional: `.some(nil)` when absent, nil when `value` is not an optional.
    static func unwrap(_ value: Value, in heap: Heap) -> Value?? {
        guard case .object(.optional, let handle) = value, case .optional(let wrapped) = heap.object(handle) else { return nil }
        return .some(wrapped)
    }

    static func none(_ heap: inout Heap) throws(Trap) -> Value { try heap.makeObject(.optional(nil)) }

    /// `a.?f`: `optional.of(a.f)` when present, else `optional.none()`; through optionals.
    static func optionalSelect(_ operand: Value, _ field: String, _ heap: inout Heap) throws(Trap) -> Value {
        switch operand {
        case .map(let h):
            guard let value = heap.lookup(field: field, inMap: h) else { return try none(&heap) }
            return try heap.makeObject(.optional(value))
        case .object(.optional, _):
            guard let wrapped = unwrap(operand, in: heap)! else { return operand }
            return try optionalSelect(wrapped, field, &heap)
        case .error: return operand
        default: return heap.makeError("type '\(operand.typeKind.name)' does not support field selection")
        }
    }

    /// `a[?k]`: `optional.of(a[k])` when `k` is in `a`, else `optional.none()`; through optionals.
    static func optionalIndex(_ operand: Value, _ key: Value, _ heap: inout Heap) throws(Trap) -> Value {
        if key.isError { return key }
        switch operand {
        case .list(let h):
            let count = heap.lists[Int(h)].count
            let position: Int64
            switch Operators.listPosition(key, &heap, notation: "[?") {
            case .position(let p): position = p
            case .failure(let error): return error
            }
            guard position >= 0 && position < Int64(count) else { return try none(&heap) }
            return try heap.makeObject(.optional(heap.lists[Int(h)][Int(position)]))
        case .map(let h):
            if let error = Operators.unsupportedMapKey(key, &heap) { return error }
            guard let value = heap.lookup(key, inMap: h) else { return try none(&heap) }
            return try heap.makeObject(.optional(value))
        case .object(.optional, _):
            guard let wrapped = unwrap(operand, in: heap)! else { return operand }
            return try optionalIndex(wrapped, key, &heap)
        case .error: return operand
        default: return heap.makeError("no such overload: \(operand.typeKind.name)[?\(key.typeKind.name)]")
        }
    }

    /// `has(o.f)` on an optional: false when absent, else `has` on its value.
    static func has(_ operand: Value, _ field: String, _ heap: inout Heap) -> Value? {
        guard let wrapped = unwrap(operand, in: heap) else { return nil }
        guard let value = wrapped else { return .bool(false) }
        return Operators.has(value, field, &heap)
    }

    /// CEL's zero values, which `optional.ofNonZeroValue` treats as absent.
    static func isZero(_ value: Value, in heap: Heap) -> Bool {
        switch value {
        case .null: return true
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .uint(let u): return u == 0
        case .double(let d): return d == 0
        case .string(let h): return heap.string(h).isEmpty
        case .bytes(let h): return heap.byteString(h).isEmpty
        case .list(let h): return heap.list(h).isEmpty
        case .map(let h): return heap.maps[Int(h)].count == 0
        case .timestamp(let s, let n), .duration(let s, let n): return s == 0 && n == 0
        case .object(.optional, let h):
            if case .optional(nil) = heap.object(h) { return true }
            return false
        default: return false
        }
    }

    /// `[a, ?b]`: the list as built, with the optionals at `positions` unwrapped or dropped.
    private static func compactList(_ list: Value, positions: Value, _ heap: inout Heap) throws(Trap) -> Value {
        guard case .list(let h) = list, case .list(let p) = positions else { return list }
        let marked = Set(heap.list(p).compactMap { if case .int(let i) = $0 { return Int(i) } else { return nil } })
        var elements: [Value] = []
        for (index, element) in heap.list(h).enumerated() {
            guard marked.contains(index) else { elements.append(element); continue }
            if element.isError { return element }
            guard let wrapped = unwrap(element, in: heap) else {
                return heap.makeError("an optional list element ('?') needs an optional value, got \(element.typeKind.name)")
            }
            if let value = wrapped { elements.append(value) }
        }
        heap.chargeWork(elements: elements.count)
        return try heap.makeList(elements)
    }

    /// `{?k: v}`: the map as built, with the optional values at entry `positions` unwrapped
    /// or their entries dropped.
    private static func compactMap(_ map: Value, positions: Value, _ heap: inout Heap) throws(Trap) -> Value {
        guard case .map(let h) = map, case .list(let p) = positions else { return map }
        let marked = Set(heap.list(p).compactMap { if case .int(let i) = $0 { return Int(i) } else { return nil } })
        let object = heap.map(h)
        var keys: [Value] = [], values: [Value] = []
        for index in 0..<object.count {
            let value = object.values[index]
            guard marked.contains(index) else { keys.append(object.keys[index]); values.append(value); continue }
            if value.isError { return value }
            guard let wrapped = unwrap(value, in: heap) else {
                return heap.makeError("an optional map entry ('?') needs an optional value, got \(value.typeKind.name)")
            }
            if let present = wrapped {
                keys.append(object.keys[index])
                values.append(present)
            }
        }
        heap.chargeWork(elements: keys.count)
        return try heap.makeMap(keys: keys, values: values)
    }
}
