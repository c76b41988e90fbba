import SpectralBytecode

/// A call left with several candidate overloads (an argument typed `dyn`, or a call
/// resolved by name): picks the first whose parameters admit the arguments' runtime
/// kinds, from masks computed when the module is loaded. No candidate fits: the first
/// one runs anyway, and its own payload guard reports "no such overload" exactly as a
/// call bound to it would.
struct OverloadDispatch: Sendable {
    private let masks: [[KindMask]]
    private let implementations: [Builtin]

    init?(_ candidates: [LibraryOverload]) {
        let callable = candidates.filter { $0.implementation != nil }
        guard !callable.isEmpty else { return nil }
        masks = callable.map { $0.signature.parameters.map(KindMask.init) }
        implementations = callable.map { $0.implementation! }
    }

    var call: Builtin {
        let masks = masks, implementations = implementations
        return { heap, args throws(Trap) in
            var chosen = 0
            search: for (index, parameters) in masks.enumerated() {
                for (parameter, arg) in zip(parameters, args) where !parameter.admits(arg) { continue search }
                chosen = index
                break
            }
            return try implementations[chosen](&heap, args)
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

    @inline(__always) func admits(_ value: Value) -> Bool {
        bits & (1 << UInt32(value.typeKind.rawValue)) != 0
    }
}
