import SpectralCompiler
import SpectralVM

extension Declarations {
    /// The standard library's signatures from the VM's table, as the `Spectral` facade
    /// hands them to the checker.
    static let standardLibrary: [FunctionDecl] = Library.signatures.map(FunctionDecl.init)

    init(variables: [String: CELType] = [:], functions: [FunctionDecl] = [], container: String = "") {
        self.init(library: Self.standardLibrary, variables: variables, functions: functions, container: container)
    }
}
