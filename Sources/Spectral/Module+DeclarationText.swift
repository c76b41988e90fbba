import SpectralBytecode
import SpectralCompiler

extension DeclaredType {
    /// The declared type of a variable declared with CEL type text, as the store keeps
    /// declarations: `"double"`, `"map(string, dyn)"`.
    public init(parsing text: String) throws(TypeSyntaxError) {
        let declared = try InputDeclaration.parse(text)
        self = declared.schema.map(DeclaredType.schema) ?? declared.type.declaredType
    }
}

extension Module {
    /// This module with its variables declared from CEL type text (`["amount": "double"]`),
    /// as the store keeps declarations: how a stored version-1 module, whose variables
    /// all decode as `dyn`, is upgraded (decode, declare, encode as version 2).
    /// Names the module has no variable for are ignored, but must still parse.
    public func declaring(parsing declarations: [String: String]) throws(TypeSyntaxError) -> Module {
        var types: [String: DeclaredType] = [:]
        for (name, text) in declarations { types[name] = try DeclaredType(parsing: text) }
        return declaring(types)
    }
}
