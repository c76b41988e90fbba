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

    /// Declares variables from type text: `["user": "map(string, dyn)", "amount": "double"]`.
    public init(declaring variables: [String: String], limits: Limits = Limits()) throws(TypeSyntaxError) {
        var types: [String: CELType] = [:]
        for (name, text) in variables { types[name] = try CELType.parse(text) }
        self.init(variables: types, limits: limits)
    }
}
