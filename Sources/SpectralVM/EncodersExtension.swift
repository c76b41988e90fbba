import SpectralBytecode

/// CEL's `encoders` extension (cel-go `ext.Encoders`): `base64.encode(bytes) -> string`
/// and `base64.decode(string) -> bytes`, the standard alphabet.
enum EncodersExtension {
    static let functions: [LibraryFunction] = [
        LibraryFunction("base64.encode", [
            .global("base64_encode_bytes", [.bytes], .string) { heap, args throws(Trap) in
                guard case .bytes(let h) = args[0] else { return noSuchOverload("base64.encode", args, &heap) }
                let data = heap.bytes[Int(h)]
                heap.chargeWork(bytes: data.count)
                return try heap.makeString(Base64.encode(data))
            },
        ]),
        LibraryFunction("base64.decode", [
            .global("base64_decode_string", [.string], .bytes) { heap, args throws(Trap) in
                guard case .string(let h) = args[0] else { return noSuchOverload("base64.decode", args, &heap) }
                let text = heap.strings[Int(h)]
                heap.chargeWork(bytes: text.utf8.count)
                guard let data = Base64.decode(text) else {
                    return heap.makeError("base64.decode: illegal base64 data")
                }
                return try heap.makeBytes(data)
            },
        ]),
    ]
}
