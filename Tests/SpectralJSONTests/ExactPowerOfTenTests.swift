@testable import SpectralJSON
import Testing

/// `ExactPowerOfTen`, the switch that replaced a table of powers: each power is the double
/// the standard library parses for it, and a number scaled on the fast path is the double
/// the standard library's correctly rounding parser gives for its text.
@Suite struct ExactPowerOfTenTests {
    @Test func everyPowerIsTheParsedDouble() {
        for exponent in 0...ExactPowerOfTen.largestExponent {
            #expect(ExactPowerOfTen.value(exponent) == Double("1e\(exponent)"), "10^\(exponent)")
        }
    }

    @Test(arguments: [(UInt64(7405), -1, "740.5"), (1, -22, "1e-22"), (123_456_789, 22, "123456789e22"),
                      (1 << 53, -3, "9007199254740.992"), (5, 0, "5"), (0, -22, "0e-22")])
    func scaledAsTheParserRoundsIt(significand: UInt64, power: Int, text: String) throws {
        let scaled = try #require(ExactPowerOfTen.scale(significand, by: power, negative: false))
        #expect(scaled == Double(text))
        #expect(ExactPowerOfTen.scale(significand, by: power, negative: true) == -scaled)
    }

    @Test func outsideTheExactRangeItDeclines() {
        #expect(ExactPowerOfTen.scale(1, by: 23, negative: false) == nil)
        #expect(ExactPowerOfTen.scale(1, by: -23, negative: false) == nil)
        #expect(ExactPowerOfTen.scale((1 << 53) + 1, by: 0, negative: false) == nil)
    }
}
