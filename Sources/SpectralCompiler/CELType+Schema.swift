import SpectralBytecode

extension CELType {
    /// The type the checker gives a value a schema admits.
    public init(_ schema: InputSchema) {
        // A value that may be null has no single CEL type yet: it is checked as `dyn`,
        // so a null meets the run-time rules rather than a typed opcode.
        guard !schema.nullable else { self = .dyn; return }
        switch schema.kind {
        case .any: self = .dyn
        case .null: self = .null
        case .boolean: self = .bool
        case .integer: self = .int
        case .number: self = .double
        case .string: self = .string
        case .timestamp: self = .timestamp
        case .array(let element): self = .list(CELType(element))
        case .object: self = .map(.string, .dyn)
        }
    }
}
