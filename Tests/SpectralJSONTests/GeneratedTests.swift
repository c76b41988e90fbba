import SpectralTestSupport
import Testing
import SpectralJSON

/// Seeded random documents: serialize/parse round trips, and mutated
/// documents that must either parse or throw, never crash.
@Suite struct GeneratedTests {
    struct Generator {
        var rng: SplitMix64

        mutating func value(depth: Int) -> JSONValue {
            let leafOnly = depth >= 5
            switch Int.random(in: 0..<(leafOnly ? 5 : 7), using: &rng) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &rng))
            case 2: return .number(number())
            case 3, 4: return .string(string())
            case 5:
                return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in value(depth: depth + 1) })
            default:
                return .object((0..<Int.random(in: 0...5, using: &rng)).map { _ in (string(), value(depth: depth + 1)) })
            }
        }

        mutating func number() -> JSONNumber {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return JSONNumber(Int64.random(in: .min ... .max, using: &rng))
            case 1: return JSONNumber(UInt64.random(in: .min ... .max, using: &rng))
            case 2:
                // Any finite bit pattern, including subnormals and huge values.
                while true {
                    let d = Double(bitPattern: rng.next())
                    if let n = JSONNumber(d) { return n }
                }
            default:
                return JSONNumber(Double.random(in: -1000...1000, using: &rng)) ?? JSONNumber(0 as Int64)
            }
        }

        mutating func string() -> String {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &rng) {
                let scalarValue: UInt32
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: scalarValue = UInt32.random(in: 0..<0x20, using: &rng)  // controls
                case 1: scalarValue = [0x22, 0x5C, 0x2F, 0x7F].randomElement(using: &rng) ?? 0x22
                case 2: scalarValue = UInt32.random(in: 0x20..<0x7F, using: &rng)
                case 3: scalarValue = UInt32.random(in: 0x80..<0xD800, using: &rng)
                case 4: scalarValue = UInt32.random(in: 0xE000...0xFFFF, using: &rng)
                default: scalarValue = UInt32.random(in: 0x10000...0x10FFFF, using: &rng)
                }
                if let scalar = Unicode.Scalar(scalarValue) { s.append(scalar) }
                // Runs of plain ASCII exercise the scanner's 8-bytes-at-a-time path.
                if Bool.random(using: &rng) {
                    s.append(contentsOf: String(repeating: "p", count: Int.random(in: 0...17, using: &rng)).unicodeScalars)
                }
            }
            return String(s)
        }
    }

    @Test func randomValuesRoundTrip() throws {
        var gen = Generator(rng: SplitMix64(seed: 0x5EED_1234))
        for _ in 0..<500 {
            let v = gen.value(depth: 0)
            let text = v.serialized()
            let back = try JSONValue.parse(Array(text.utf8))
            #expect(back == v, "\(text)")
            // Serializing again is stable.
            #expect(back.serialized() == text)
        }
    }

    @Test func randomNumbersKeepTheirValue() throws {
        var gen = Generator(rng: SplitMix64(seed: 42))
        for _ in 0..<500 {
            let n = gen.number()
            let back = try JSONValue.parse(n.text).numberValue
            #expect(back?.doubleValue == n.doubleValue)
            #expect(back?.int64Value == n.int64Value)
            #expect(back?.uint64Value == n.uint64Value)
        }
    }

    @Test func mutatedDocumentsNeverCrash() {
        var gen = Generator(rng: SplitMix64(seed: 7))
        var rng = SplitMix64(seed: 99)
        let interesting: [UInt8] = Array(#"{}[]",:\"u0123456789abcdefABCDEF-+.eE tfn "#.utf8) + [0x00, 0x1F, 0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]
        var accepted = 0
        for _ in 0..<300 {
            var bytes = gen.value(depth: 2).serializedBytes()
            for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = interesting.randomElement(using: &rng) ?? 0
                case 1: bytes.remove(at: i)
                default: bytes.insert(interesting.randomElement(using: &rng) ?? 0, at: i)
                }
            }
            if let v = try? JSONValue.parse(bytes) {
                accepted += 1
                // Whatever was accepted must survive a round trip.
                #expect((try? JSONValue.parse(v.serializedBytes())) == v)
            }
            // Every prefix is also safe (truncation at every position).
            if bytes.count < 200 {
                for end in 0..<bytes.count { _ = try? JSONValue.parse(Array(bytes[0..<end])) }
            }
        }
        #expect(accepted < 300)
    }
}
