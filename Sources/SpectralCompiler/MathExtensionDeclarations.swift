/// (filled in by a later change)
enum MathExtensionDeclarations {
    static let functions: [FunctionDecl] = []
}
