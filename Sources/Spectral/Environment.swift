@_exported import SpectralCompiler
@_exported import SpectralSyntax
@_exported import SpectralVM
@_exported import SpectralBytecode
@_exported import SpectralJSON

/// Everything a predicate is compiled against: declared inputs, extra functions, the
/// container for name resolution, parser options and the evaluation limits.
public struct Environment: Sendable {
    public var declarations: Declarations
    public var limits: Limits
    public var parserOptions: ParserOptions
    /// When false, names are resolved but types are not checked: every expression is
    /// `dyn` and type errors surface at run time (CEL's unchecked evaluation).
    public var typeCheck: Bool

    public init(variables: [String: CELType] = [:], functions: [FunctionDecl] = [], container: String = "",
                limits: Limits = Limits(), parserOptions: ParserOptions = ParserOptions(), typeCheck: Bool = true) {
        self.declarations = Declarations(variables: variables, functions: functions, container: container)
        self.limits = limits
        self.parserOptions = parserOptions
        self.typeCheck = typeCheck
    }

    /// Declares variables from declaration text, as the store keeps it: CEL type text
    /// (`["user": "map(string, dyn)", "amount": "double"]`) or JSON Schema text.
    public init(declaring variables: [String: String], limits: Limits = Limits()) throws(TypeSyntaxError) {
        var declared: [String: InputDeclaration] = [:]
        for (name, text) in variables { declared[name] = try InputDeclaration.parse(text) }
        self.init(declared: declared, limits: limits)
    }

    /// Declares parsed variables (`InputDeclaration.parse`).
    public init(declared: [String: InputDeclaration], limits: Limits = Limits()) {
        self.init(variables: declared.mapValues(\.type), limits: limits)
        declarations.schemas = declared.compactMapValues(\.schema)
    }
}
