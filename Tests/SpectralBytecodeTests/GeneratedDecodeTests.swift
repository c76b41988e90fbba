import Testing
@testable import SpectralBytecode

/// Exhaustive corruption of valid encodings: nothing may crash, and whatever the
/// decoder accepts must be canonical (re-encode to the same bytes) and must be
/// handled cleanly by the verifier and the disassembler.
@Suite struct GeneratedDecodeTests {
    static let modules: [Module] = [Fixtures.everyOpcode, Fixtures.small, Fixtures.minimal, Module()]

    @Test(arguments: modules)
    func everyTruncationThrows(_ module: Module) {
        let bytes = ModuleEncoder.encode(module)
        for length in 0..<bytes.count {
            #expect(throws: ModuleFormatError.self, "prefix of \(length) bytes") {
                try ModuleDecoder.decode(Array(bytes.prefix(length)))
            }
        }
    }

    @Test(arguments: modules)
    func everySingleBitFlipIsHandled(_ module: Module) {
        let bytes = ModuleEncoder.encode(module)
        var accepted = 0
        for index in bytes.indices {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[index] ^= 1 << UInt8(bit)
                let decoded: Module
                do {
                    decoded = try ModuleDecoder.decode(flipped)
                } catch {
                    #expect(!error.message.isEmpty)
                    #expect(error.offset >= 0 && error.offset <= flipped.count)
                    continue
                }
                #expect(index >= 6, "a flip at byte \(index) in the header was accepted")
                accepted += 1
                // Strict decoding: an accepted input is the canonical encoding of its module.
                #expect(ModuleEncoder.encode(decoded) == flipped, "flip at byte \(index) bit \(bit)")
                checkCleanly(decoded)
            }
        }
        // Some flips (in constants, costBound...) must still decode.
        #expect(accepted > 0)
    }

    /// Random multi-byte corruption (deterministic xorshift), including insertions
    /// and deletions that shift everything after them.
    @Test func randomMutationsAreHandled() {
        var rng = XorShift(seed: 0x5eed_cafe)
        let bases = Self.modules.map(ModuleEncoder.encode)
        for _ in 0..<3000 {
            var bytes = bases[Int(rng.next() % UInt64(bases.count))]
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                default: if bytes.count > 1 { bytes.remove(at: i) }
                }
            }
            if let decoded = try? ModuleDecoder.decode(bytes) {
                #expect(ModuleEncoder.encode(decoded) == bytes)
                checkCleanly(decoded)
            }
        }
    }

    func checkCleanly(_ module: Module) {
        do {
            try Verifier.verify(module)
        } catch {
            #expect(!error.message.isEmpty)
        }
        #expect(!Disassembler.disassemble(module).isEmpty)
    }
}

struct XorShift {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
