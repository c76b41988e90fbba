import Testing
import SpectralJSON

@Suite struct NumberTests {
    func number(_ text: String) throws -> JSONNumber {
        guard case .number(let n) = try tokens(text).first else {
            Issue.record("not a number: \(text)")
            return JSONNumber(0 as Int64)
        }
        return n
    }

    @Test func int64Boundaries() throws {
        let max = try number("9223372036854775807")
        #expect(max.isInteger)
        #expect(max.int64Value == Int64.max)
        #expect(max.uint64Value == UInt64(Int64.max))

        let beyond = try number("9223372036854775808")
        #expect(beyond.int64Value == nil)
        #expect(beyond.uint64Value == 9_223_372_036_854_775_808)

        let min = try number("-9223372036854775808")
        #expect(min.int64Value == Int64.min)
        #expect(min.uint64Value == nil)
        #expect(try number("-9223372036854775809").int64Value == nil)

        let uMax = try number("18446744073709551615")
        #expect(uMax.uint64Value == UInt64.max)
        #expect(uMax.int64Value == nil)

        let huge = try number("18446744073709551616")
        #expect(huge.isInteger)
        #expect(huge.int64Value == nil)
        #expect(huge.uint64Value == nil)
        #expect(huge.doubleValue == 18446744073709551616.0)
    }

    @Test func specialValues() throws {
        let negZero = try number("-0")
        #expect(negZero.int64Value == 0)
        #expect(negZero.uint64Value == 0)
        #expect(negZero.doubleValue == 0 && negZero.doubleValue.sign == .minus)

        #expect(try number("1e400").doubleValue == .infinity)
        #expect(try number("-1e400").doubleValue == -.infinity)
        #expect(try number("1e-400").doubleValue == 0)

        let small = try number("1.5e-3")
        #expect(!small.isInteger)
        #expect(small.doubleValue == 0.0015)
        #expect(small.int64Value == nil)

        #expect(try number("1E+2").doubleValue == 100)
        #expect(try number("1e2").int64Value == nil)  // not an integer literal
        #expect(try number("0.1").doubleValue == 0.1)
        // Correct rounding at the edge of the double range.
        #expect(try number("2.2250738585072014e-308").doubleValue == 2.2250738585072014e-308)
        #expect(try number("5e-324").doubleValue == Double.leastNonzeroMagnitude)
    }

    @Test func validatingInitializers() {
        #expect(JSONNumber("12")?.isInteger == true)
        #expect(JSONNumber("-0.5e+7") != nil)
        for bad in ["", "-", "01", "+1", "1.", ".5", "1e", "1e+", "NaN", "Infinity", "0x10", " 1", "1 "] {
            #expect(JSONNumber(bad) == nil, "\(bad)")
        }
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Double.infinity) == nil)
        #expect(JSONNumber(1.0)?.text == "1.0")
        #expect(JSONNumber(1e300)?.text == "1e+300")
        #expect(JSONNumber(Int64.min).text == "-9223372036854775808")
        #expect(JSONNumber(UInt64.max).text == "18446744073709551615")
    }
}
