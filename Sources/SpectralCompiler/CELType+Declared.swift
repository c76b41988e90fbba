import SpectralBytecode

extension CELType {
    /// How a module declares a variable of this type (`DeclaredType`). Types JSON input
    /// cannot be declared as (`null_type`, `type(T)`, abstract types) bind like `dyn`,
    /// and are declared `dyn`.
    public var declaredType: DeclaredType { declaredType(depth: 1) }

    /// Containers below `DeclaredType.maxDepth` become `dyn`: JSON input cannot nest
    /// that deep (`JSONLimits.maxDepth` counts the input object itself), so no value
    /// is ever bound by the part of the type that is dropped.
    private func declaredType(depth: Int) -> DeclaredType {
        switch self {
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .list(let element):
            guard depth < DeclaredType.maxDepth else { return .dyn }
            return .list(element.declaredType(depth: depth + 1))
        case .map(let key, let value):
            guard depth < DeclaredType.maxDepth else { return .dyn }
            return .map(key: key.declaredType(depth: depth + 1), value: value.declaredType(depth: depth + 1))
        // Until modules carry schemas, an object binds as the map it is in JSON, and a
        // null binds as null whatever the declaration.
        case .object:
            return .map(key: .string, value: .dyn)
        case .nullable(let inner):
            return inner.declaredType(depth: depth)
        case .dyn, .null, .type, .param, .abstract, .error:
            return .dyn
        }
    }

    /// The CEL type a module's declaration stands for.
    public init(_ declared: DeclaredType) {
        switch declared {
        case .dyn: self = .dyn
        case .bool: self = .bool
        case .int: self = .int
        case .uint: self = .uint
        case .double: self = .double
        case .string: self = .string
        case .bytes: self = .bytes
        case .timestamp: self = .timestamp
        case .duration: self = .duration
        case .list(let element): self = .list(CELType(element))
        case .map(let key, let value): self = .map(CELType(key), CELType(value))
        case .schema(let schema): self = CELType(schema)
        }
    }
}
