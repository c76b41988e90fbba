import SpectralBytecode

/// The standard library as the loader sees it: every function by name, arity and call
/// style. Each implementation dispatches on its arguments' runtime types, so it serves
/// checked programs and unchecked (`dyn`) ones alike.
public enum Library {
    static let table: [String: Builtin] = {
        var registry = Registry()
        StandardFunctions.register(&registry)
        Conversions.register(&registry)
        TimeFunctions.register(&registry)
        StringsExtension.register(&registry)
        MathExtension.register(&registry)
        ComprehensionsExtension.register(&registry)
        EncodersExtension.register(&registry)
        OptionalValues.register(&registry)
        NetworkExtension.register(&registry)
        return registry.table
    }()

    static func key(_ name: String, arity: Int, receiver: Bool) -> String {
        "\(name)/\(arity)\(receiver ? "r" : "g")"
    }

    /// The implementation for a call; an unknown function evaluates to a CEL error
    /// (as unchecked CEL requires: `f_unknown(1) || true` is `true`).
    public static func resolve(_ ref: FunctionRef) -> Builtin {
        if let builtin = table[key(ref.name, arity: Int(ref.arity), receiver: ref.receiver)] { return builtin }
        let message = "no matching overload for '\(ref.name)' with \(ref.arity) argument(s)"
        return { heap, _ in heap.makeError(message) }
    }
}

/// Collects implementations while the library table is built.
struct Registry {
    var table: [String: Builtin] = [:]

    /// `target.name(args)`; the receiver is the first argument.
    mutating func receiver(_ name: String, arity: Int, _ body: @escaping Builtin) {
        table[Library.key(name, arity: arity, receiver: true)] = body
    }

    /// `name(args)`.
    mutating func global(_ name: String, arity: Int, _ body: @escaping Builtin) {
        table[Library.key(name, arity: arity, receiver: false)] = body
    }

    /// Both call styles.
    mutating func both(_ name: String, arity: Int, _ body: @escaping Builtin) {
        receiver(name, arity: arity, body)
        global(name, arity: arity, body)
    }
}

/// The error for argument types a function has no overload for.
func noSuchOverload(_ name: String, _ args: UnsafeBufferPointer<Value>, _ heap: inout Heap) -> Value {
    heap.makeError("no such overload: \(name)(\(args.map { $0.typeKind.name }.joined(separator: ", ")))")
}
