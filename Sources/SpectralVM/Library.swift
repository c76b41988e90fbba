import SpectralBytecode

/// The standard library: one table of functions, each with its overloads' signatures
/// and implementations side by side. The checker reads the signatures (handed over by
/// the `Spectral` facade); the loader binds each call of a module to implementations.
public enum Library {
    public static let functions: [LibraryFunction] =
        OperatorSignatures.functions + StandardFunctions.functions + Conversions.functions
        + TimeFunctions.functions + StringsExtension.functions + MathExtension.functions
        + ComprehensionsExtension.functions + EncodersExtension.functions
        + OptionalValues.functions + NetworkExtension.functions

    /// What the checker declares: every function with the signatures of its overloads.
    public static let signatures: [FunctionSignature] = functions.map(\.signature)

    /// Callable overloads by id.
    static let byID: [String: LibraryOverload] = {
        var table: [String: LibraryOverload] = [:]
        for function in functions {
            for overload in function.overloads where overload.implementation != nil {
                precondition(table[overload.signature.id] == nil, "duplicate overload id \(overload.signature.id)")
                table[overload.signature.id] = overload
            }
        }
        return table
    }()

    /// Callable overloads by name, arity and call style: for calls that carry no overload
    /// ids (unchecked programs, modules stored before format version 3).
    static let byName: [FunctionKey: [LibraryOverload]] = {
        var table: [FunctionKey: [LibraryOverload]] = [:]
        for function in functions {
            for overload in function.overloads where overload.implementation != nil {
                let key = FunctionKey(name: function.name, arity: overload.signature.parameters.count,
                                      receiver: overload.signature.receiver)
                table[key, default: []].append(overload)
            }
        }
        return table
    }()

    struct FunctionKey: Hashable {
        var name: String
        var arity: Int
        var receiver: Bool
    }

    /// The code a call runs, decided once when the module is loaded: the one overload
    /// the checker resolved, called directly; or a dispatch among its candidates (the
    /// checker's, else every overload of that name, arity and call style) by the
    /// arguments' runtime kinds. An unknown function evaluates to a CEL error (as
    /// unchecked CEL requires: `f_unknown(1) || true` is `true`).
    public static func resolve(_ ref: FunctionRef) -> Builtin {
        var candidates: [LibraryOverload] = []
        for id in ref.overloads {
            // An id this build does not implement (a declared custom function, a newer
            // library): fall back to the name, as an unchecked call would.
            guard let overload = byID[id], overload.signature.parameters.count == Int(ref.arity) else {
                candidates = []
                break
            }
            candidates.append(overload)
        }
        if candidates.isEmpty {
            candidates = byName[FunctionKey(name: ref.name, arity: Int(ref.arity), receiver: ref.receiver)] ?? []
        }
        if candidates.count == 1, let implementation = candidates[0].implementation { return implementation }
        if let dispatch = OverloadDispatch(candidates) { return dispatch.call }
        let message = "no matching overload for '\(ref.name)' with \(ref.arity) argument(s)"
        return { heap, _ in heap.makeError(message) }
    }
}
