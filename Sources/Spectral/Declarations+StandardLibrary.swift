import SpectralCompiler
import SpectralVM

extension Declarations {
    /// The standard library as the checker declares it: the signatures of the VM's
    /// library table, converted once.
    public static let standardLibrary: [FunctionDecl] = Library.signatures.map(FunctionDecl.init)

    /// Declarations over the standard library (`Library`), plus `functions`.
    public init(variables: [String: CELType] = [:], functions: [FunctionDecl] = [], container: String = "") {
        self.init(library: Self.standardLibrary, variables: variables, functions: functions, container: container)
    }
}
