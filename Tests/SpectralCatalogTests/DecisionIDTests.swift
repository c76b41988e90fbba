import SpectralCatalog
import Synchronization
import Testing

/// Decision ids are UUIDv7s (RFC 9562): time-ordered, monotonic within a process, unique
/// across processes.
@Suite struct DecisionIDTests {
    @Test func theTextIsCanonicalAndCarriesTheFields() throws {
        // RFC 9562 appendix A.6's example: 2022-02-22T19:22:22Z, 0x017F22E279B0 ms.
        let id = DecisionID(milliseconds: 0x017F_22E2_79B0, randA: 0xCC3, randB: 0x18C4_DC0C_0C07_398F)
        #expect(id.text == "017f22e2-79b0-7cc3-98c4-dc0c0c07398f")
        #expect(id.version == 7 && id.variant == 0b10 && id.milliseconds == 0x017F_22E2_79B0 && id.randA == 0xCC3)
        #expect(DecisionID(text: id.text) == id)
        #expect(DecisionID(text: "017F22E2-79B0-7CC3-98C4-DC0C0C07398F") == id)
        for malformed in ["", "017f22e2-79b0-7cc3-98c4-dc0c0c07398", "017f22e2-79b0-7cc3-98c4-dc0c0c07398f0",
                          "017f22e279b0-7cc3-98c4-dc0c0c07398f-", "017f22e2-79b0-7cc3-98c4-dc0c0c07398g", "017f22e2_79b0_7cc3_98c4_dc0c0c07398f"] {
            #expect(DecisionID(text: malformed) == nil, "\(malformed)")
        }
    }

    @Test func generatedIdsAreVersion7WithTheRFCVariantAndTheCurrentTime() {
        let generator = DecisionIDGenerator()
        let before = DecisionIDGenerator.wallClockMilliseconds()
        let id = generator.next()
        let after = DecisionIDGenerator.wallClockMilliseconds()
        #expect(id.version == 7 && id.variant == 0b10)
        #expect(id.milliseconds >= before && id.milliseconds <= after)
        let text = id.text
        #expect(text.count == 36 && text == text.lowercased())
        #expect(Array(text.utf8)[14] == UInt8(ascii: "7"))
    }

    /// Within one millisecond the counter orders the ids; past its 4096 values, and when the
    /// clock steps back, ids borrow the next millisecond rather than repeat or go backwards.
    @Test func idsOfOneProcessAreStrictlyIncreasingEvenWhenTheClockStallsOrStepsBack() {
        let now = Mutex<UInt64>(1_000_000)
        let generator = DecisionIDGenerator(clock: { now.withLock { $0 } })
        var previous = generator.next()
        for step in 0..<10_000 {
            if step == 5_000 { now.withLock { $0 -= 50 } }
            let id = generator.next()
            #expect(id > previous, "step \(step)")
            #expect(id.version == 7 && id.variant == 0b10)
            previous = id
        }
        // 10,001 ids from a clock that never advanced: at most 4096 per millisecond.
        #expect(previous.milliseconds >= 1_000_000 + 10_001 / 4096 && previous.milliseconds <= 1_000_000 + 10_001 / 2048 + 1)
        // The clock moving on again is followed at once.
        now.withLock { $0 = 2_000_000 }
        #expect(generator.next().milliseconds == 2_000_000)
    }

    @Test func idsAreUniqueAcrossManyIdsAndTwoGeneratorsOnTheSameMillisecond() async {
        let clock: @Sendable () -> UInt64 = { 1_700_000_000_000 }
        let first = DecisionIDGenerator(clock: clock), second = DecisionIDGenerator(clock: clock)
        async let a = (0..<20_000).map { _ in first.next() }
        async let b = (0..<20_000).map { _ in second.next() }
        let ids = await a + b
        #expect(Set(ids).count == 40_000)
        #expect(Set(ids.map(\.text)).count == 40_000)
    }

    @Test func concurrentCallersOfOneGeneratorGetDistinctIds() async {
        let generator = DecisionIDGenerator()
        let ids = await withTaskGroup(of: [DecisionID].self) { group in
            for _ in 0..<4 { group.addTask { (0..<5_000).map { _ in generator.next() } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(ids).count == 20_000)
    }
}
