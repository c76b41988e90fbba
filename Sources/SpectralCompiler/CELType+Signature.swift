import SpectralBytecode

extension CELType {
    /// The checker's type for a library signature's type.
    public init(_ signature: SignatureType) {
        switch signature {
        case .dyn: self = .dyn
        case .null: self = .null
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
        case .type(let type): self = .type(CELType(type))
        case .param(let name): self = .param(name)
        case .abstract(let name, let parameters): self = .abstract(name, parameters.map(CELType.init))
        }
    }
}

extension FunctionDecl {
    /// A library function as the checker declares it.
    public init(_ signature: FunctionSignature) {
        self.init(signature.name, signature.overloads.map {
            Overload($0.id, $0.parameters.map(CELType.init), CELType($0.result), receiver: $0.receiver)
        })
    }
}
