import SpectralBytecode

/// A call left with several candidate overloads (an argument typed `dyn`, or a call
/// resolved by name): picks the first whose parameters admit the arguments' runtime
/// kinds, from masks computed when the module is loaded. No candidate fits: the first
/// one runs anyway, and its own payload guard reports "no such overload" exactly as a
/// call bound to it would.
struct OverloadDispatch: Sendable {
    /// Candidate `k`'s parameter masks are `masks[k * arity ..< (k + 1) * arity]`: one
    /// flat array, so choosing walks memory in order and allocates nothing.
    private let masks: [UInt32]
    private let arity: Int
    private let implementations: [Builtin]

    /// Nil when no candidate has an implementation. Candidates share one arity (the
    /// call's).
    init?(_ candidates: [LibraryOverload]) {
        let callable = candidates.filter { $0.implementation != nil }
        guard let first = callable.first else { return nil }
        arity = first.signature.parameters.count
        masks = callable.flatMap { $0.signature.parameters.map { KindMask($0).bits } }
        implementations = callable.map { $0.implementation! }
    }

    var call: Builtin {
        let masks = masks, arity = arity, implementations = implementations
        return { heap, args throws(Trap) in
            var candidate = 0
            while candidate < implementations.count {
                let base = candidate * arity
                var i = 0
                while i < arity && KindMask.admits(masks[base + i], args[i]) { i += 1 }
                if i == arity { return try implementations[candidate](&heap, args) }
                candidate += 1
            }
            return try implementations[0](&heap, args)
        }
    }
}
