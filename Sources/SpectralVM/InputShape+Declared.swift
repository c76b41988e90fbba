import SpectralBytecode

extension InputShape {
    /// The binding shape of a module's declaration. Map keys are JSON object keys,
    /// always strings, so only the value type shapes the binding.
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
        case .list(let element): self = .list(InputShape(element))
        case .map(_, let value): self = .map(InputShape(value))
        case .schema(let schema): self = .schema(schema)
        }
    }

    /// The shapes of a module's variables, by name, for `JSONBinder.bind`. `dyn` is
    /// what the binder assumes for a name it is not given, so those are left out: a
    /// module whose variables are all `dyn` keeps the binder's no-lookup path. When
    /// two slots share a name (possible only in a hand-built module), the first wins,
    /// as it does in `Machine.slot(of:)`.
    public static func shapes(of module: Module) -> [String: InputShape] {
        var shapes: [String: InputShape] = [:]
        var seen: Set<String> = []
        for (name, declared) in zip(module.variables, module.declarations) where seen.insert(name).inserted {
            if declared != .dyn { shapes[name] = InputShape(declared) }
        }
        return shapes
    }
}
