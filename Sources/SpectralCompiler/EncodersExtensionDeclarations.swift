/// Checker declarations for CEL's `encoders` extension (overload ids as in cel-go).
enum EncodersExtensionDeclarations {
    static let functions: [FunctionDecl] = [
        FunctionDecl("base64.encode", [
            Overload("base64_encode_bytes", [.bytes], .string),
        ]),
        FunctionDecl("base64.decode", [
            Overload("base64_decode_string", [.string], .bytes),
        ]),
    ]
}
