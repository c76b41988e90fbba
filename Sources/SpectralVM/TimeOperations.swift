/// Timestamp and duration arithmetic and formatting on runtime values, delegating the
/// calendar work to SpectralTime.
enum TimeOperations {
    static func add(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        heap.makeError("timestamp arithmetic not available")
    }

    static func subtract(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        heap.makeError("timestamp arithmetic not available")
    }

    static func formatTimestamp(_ seconds: Int64, _ nanos: Int32) -> String { "\(seconds).\(nanos)" }
    static func formatDuration(_ seconds: Int64, _ nanos: Int32) -> String { "\(seconds).\(nanos)s" }
}
