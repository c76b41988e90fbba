/// (filled in by a later change)
enum StringsExtensionDeclarations {
    static let functions: [FunctionDecl] = []
}
