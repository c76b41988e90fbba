import SpectralSyntax

/// Checker declarations for the internal function the two-variable `transformMap` and
/// `transformMapEntry` macros accumulate with (overload ids as in cel-go). Its name is
/// not an identifier, so only macro expansions can call it.
enum ComprehensionsExtensionDeclarations {
    private static let K = CELType.param("K")
    private static let V = CELType.param("V")

    static let functions: [FunctionDecl] = [
        FunctionDecl(mapInsertFunction, [
            Overload("@mapInsert_map_key_value", [.map(K, V), K, V], .map(K, V)),
            Overload("@mapInsert_map_map", [.map(K, V), .map(K, V)], .map(K, V)),
        ]),
    ]
}
