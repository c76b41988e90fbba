/// The share of decisions written to the decision log, from 0 (none) to 1 (all): the
/// server's (`--decision-log-sample`) times the predicate's (`"log_sample"`), so an
/// operator's cap holds for every predicate and an author can only log less.
///
/// Whether a decision is logged is read from its id: `rand_b`, the id's 62 bits from the
/// system's CSPRNG, below `rate × 2⁶²`. The decide path pays one comparison, takes no lock
/// and draws no random number of its own, and the choice can be checked afterwards from
/// the id alone (the tests do).
public struct LogSampleRate: Sendable, Equatable, CustomStringConvertible {
    public let value: Double
    /// `rand_b` below this is logged; 2⁶² (every id) at 1.
    private let threshold: UInt64

    public static let all = LogSampleRate(validated: 1)

    public init(_ value: Double) throws(LogSampleRateError) {
        guard value.isFinite, value >= 0, value <= 1 else { throw LogSampleRateError(value: value) }
        self.init(validated: value)
    }

    private init(validated value: Double) {
        self.value = value
        threshold = value >= 1 ? 1 << 62 : UInt64(value * 0x1p62)
    }

    /// Both rates at once: the product.
    public func times(_ other: LogSampleRate) -> LogSampleRate {
        other.value >= 1 ? self : value >= 1 ? other : LogSampleRate(validated: value * other.value)
    }

    public func admits(_ id: DecisionID) -> Bool {
        id.low & 0x3FFF_FFFF_FFFF_FFFF < threshold
    }

    public var description: String { "\(value)" }
}

public struct LogSampleRateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var value: Double
    public var description: String { "a log sample rate is a number from 0 to 1, got \(value)" }
}
