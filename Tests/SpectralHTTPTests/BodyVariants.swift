/// Bodies near the given ones, for comparing two readers of one format: every prefix and
/// every change of one byte to a byte that matters to JSON (or to UTF-8).
enum BodyVariants {
    static let replacements: [UInt8] = Array("{}[],:\"\\ -.019eEtfnx".utf8) + [0x00, 0x80, 0xFF]

    static func near(_ bodies: [String]) -> [[UInt8]] {
        var variants: [[UInt8]] = []
        for text in bodies {
            let bytes = Array(text.utf8)
            variants += (0..<bytes.count).map { Array(bytes[..<$0]) }
            for i in bytes.indices {
                for byte in replacements where byte != bytes[i] {
                    var changed = bytes
                    changed[i] = byte
                    variants.append(changed)
                }
            }
        }
        return variants
    }
}
