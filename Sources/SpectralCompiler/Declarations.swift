/// What a predicate is checked and compiled against: its input variables, the
/// functions it may call, and the container (namespace) names resolve in.
public struct Declarations: Sendable {
    public var variables: [String: CELType]
    public var functions: [String: FunctionDecl]
    /// A dotted namespace: with container `a.b`, the name `x` resolves to `a.b.x`, `a.x`, then `x`.
    public var container: String

    public init(variables: [String: CELType] = [:], functions: [FunctionDecl] = [], container: String = "") {
        self.variables = variables
        self.container = container
        var table: [String: FunctionDecl] = [:]
        for decl in StandardDeclarations.functions + StringsExtensionDeclarations.functions
            + MathExtensionDeclarations.functions + ComprehensionsExtensionDeclarations.functions
            + EncodersExtensionDeclarations.functions + OptionalDeclarations.functions
            + NetworkExtensionDeclarations.functions + functions {
            if var existing = table[decl.name] {
                existing.overloads += decl.overloads
                table[decl.name] = existing
            } else {
                table[decl.name] = decl
            }
        }
        self.functions = table
    }

    /// Adds declared (custom) functions on top of the standard library.
    public mutating func declare(_ decl: FunctionDecl) {
        if var existing = functions[decl.name] {
            existing.overloads += decl.overloads
            functions[decl.name] = existing
        } else {
            functions[decl.name] = decl
        }
    }
}
