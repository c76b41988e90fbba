extension Duration {
    /// The duration in seconds as a Double, for SQL intervals, logs and metrics.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
