/// The powers of ten that a double holds exactly, 10⁰ through 10²²: Clinger's fast path
/// scales exact digits by one of them with a single correctly rounded operation.
///
/// A switch over literals rather than a table: each read of a global array pays its lazy
/// initialisation check, a retain and release and a bounds check, on every number bound.
enum ExactPowerOfTen {
    static let largestExponent = 22

    /// 10^`exponent`, for `exponent` in `0...largestExponent`.
    @inline(__always)
    static func value(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        case 22: 1e22
        default: preconditionFailure("10^\(exponent) is not an exact double")
        }
    }

    /// `significand` × 10^`power`, correctly rounded, when both are exact doubles (the
    /// significand at most 2⁵³, the power within ±22); nil otherwise.
    @inline(__always)
    static func scale(_ significand: UInt64, by power: Int, negative: Bool) -> Double? {
        guard significand <= 1 << 53, power >= -largestExponent, power <= largestExponent else { return nil }
        let value = Double(significand)
        let scaled = power >= 0 ? value * Self.value(power) : value / Self.value(-power)
        return negative ? -scaled : scaled
    }
}
