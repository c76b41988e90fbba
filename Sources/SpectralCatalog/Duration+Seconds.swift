extension Duration {
    /// The duration in seconds as a Double, for SQL intervals, logs and metrics.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whole microseconds (truncated), for the decision log's latencies.
    public var inMicroseconds: Int64 {
        components.seconds &* 1_000_000 &+ components.attoseconds / 1_000_000_000_000
    }
}
