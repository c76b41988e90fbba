import SpectralBytecode

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
