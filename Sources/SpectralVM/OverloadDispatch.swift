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

/// The runtime kinds (`TypeKind`) a parameter type admits, as bits.
struct KindMask: Sendable {
    let bits: UInt32

    static let any = KindMask(bits: ~0)

    private init(bits: UInt32) { self.bits = bits }
    private init(_ kind: TypeKind) { bits = 1 << UInt32(kind.rawValue) }

    init(_ type: SignatureType) {
        switch type {
        case .dyn, .param: self = .any
        case .null: self.init(TypeKind.null)
        case .bool: self.init(TypeKind.bool)
        case .int: self.init(TypeKind.int)
        case .uint: self.init(TypeKind.uint)
        case .double: self.init(TypeKind.double)
        case .string: self.init(TypeKind.string)
        case .bytes: self.init(TypeKind.bytes)
        case .timestamp: self.init(TypeKind.timestamp)
        case .duration: self.init(TypeKind.duration)
        case .list: self.init(TypeKind.list)
        case .map: self.init(TypeKind.map)
        case .type: self.init(TypeKind.type)
        case .abstract(let name, _):
            switch name {
            case "optional_type": self.init(TypeKind.optionalType)
            case "net.IP": self.init(TypeKind.ip)
            case "net.CIDR": self.init(TypeKind.cidr)
            default: self = .any
            }
        }
    }

    @inline(__always) static func admits(_ bits: UInt32, _ value: Value) -> Bool {
        bits & (1 << UInt32(value.typeKind.rawValue)) != 0
    }
}
