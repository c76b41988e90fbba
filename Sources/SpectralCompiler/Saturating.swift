/// Unsigned arithmetic that sticks at `UInt64.max` instead of overflowing.
enum Saturating {
    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : product
    }
}

extension Sequence {
    /// The largest of `measure` over the elements (0 when there are none); nil when any
    /// is unknown: a bound that must hold for every element.
    func largest(_ measure: (Element) -> UInt64?) -> UInt64? { combining(measure, Swift.max) }

    /// The sum of `measure` over the elements, saturating; nil when any is unknown.
    func total(_ measure: (Element) -> UInt64?) -> UInt64? { combining(measure, Saturating.add) }

    private func combining(_ measure: (Element) -> UInt64?, _ combine: (UInt64, UInt64) -> UInt64) -> UInt64? {
        var result: UInt64 = 0
        for element in self {
            guard let size = measure(element) else { return nil }
            result = combine(result, size)
        }
        return result
    }
}
