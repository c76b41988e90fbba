import Testing

/// The differential fuzz target's generator (infra/fuzz/Sources/FuzzHarness, linked through
/// FuzzSupport/) must keep producing the whole language it claims to cover, or the fuzzer
/// quietly stops testing it; and a sample of what it produces must agree with the reference.
struct DifferentialGeneratorTests {
    /// Deterministic byte strings (xorshift), as libFuzzer would feed them.
    static func inputs(_ count: Int, length: Int = 48) -> [[UInt8]] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            (0..<length).map { _ in
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                return UInt8(truncatingIfNeeded: state)
            }
        }
    }

    @Test("generated expressions use every construct the reference evaluator covers")
    func coversTheNewSyntax() {
        let sources = Self.inputs(4_000).compactMap { FuzzHarness.generateDifferentialCase($0)?.source }
        let constructs = [
            "optional.of(", "optional.none()", "optional.ofNonZeroValue(", ".hasValue()", ".value()", ".orValue(",
            ".or(", "[?", ", ?", ".optMap(", ".optFlatMap(", "cel.bind(", ".transformList(", "existsOne(",
            ".all(", ".exists(", ".exists_one(", ".map(", ".filter(",
        ]
        for construct in constructs {
            let count = sources.filter { $0.contains(construct) }.count
            #expect(count >= 20, "only \(count) of \(sources.count) generated expressions use \(construct)")
        }
    }

    @Test("a sample of generated cases: interpreter and reference agree")
    func sampleAgrees() {
        for bytes in Self.inputs(3_000) {
            FuzzHarness.$findingHandler.withValue({ message in
                Issue.record("\(bytes): \(message)")
            }) {
                FuzzHarness.differential(bytes)
            }
        }
    }
}
