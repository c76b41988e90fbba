import SpectralTime

/// Timestamp and duration arithmetic and formatting on runtime values, delegating the
/// calendar work to SpectralTime. Out-of-range results are CEL errors.
enum TimeOperations {
    static func add(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        do throws(TimeError) {
            switch (a, b) {
            case (.timestamp(let s, let n), .duration(let ds, let dn)),
                 (.duration(let ds, let dn), .timestamp(let s, let n)):
                return value(try timestamp(s, n).adding(try duration(ds, dn)))
            case (.duration(let s1, let n1), .duration(let s2, let n2)):
                return value(try duration(s1, n1).adding(try duration(s2, n2)))
            default:
                return Arithmetic.noOverload("_+_", a, b, &heap)
            }
        } catch {
            return heap.makeError(error.message)
        }
    }

    static func subtract(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        do throws(TimeError) {
            switch (a, b) {
            case (.timestamp(let s1, let n1), .timestamp(let s2, let n2)):
                return value(try timestamp(s1, n1).subtracting(try timestamp(s2, n2)))
            case (.timestamp(let s, let n), .duration(let ds, let dn)):
                return value(try timestamp(s, n).subtracting(try duration(ds, dn)))
            case (.duration(let s1, let n1), .duration(let s2, let n2)):
                return value(try duration(s1, n1).subtracting(try duration(s2, n2)))
            default:
                return Arithmetic.noOverload("_-_", a, b, &heap)
            }
        } catch {
            return heap.makeError(error.message)
        }
    }

    static func timestamp(_ seconds: Int64, _ nanos: Int32) throws(TimeError) -> Timestamp {
        try Timestamp(seconds: seconds, nanos: nanos)
    }

    static func duration(_ seconds: Int64, _ nanos: Int32) throws(TimeError) -> SpectralTime.Duration {
        try SpectralTime.Duration(seconds: seconds, nanos: Int64(nanos))
    }

    static func value(_ t: Timestamp) -> Value { .timestamp(seconds: t.seconds, nanos: t.nanos) }
    static func value(_ d: SpectralTime.Duration) -> Value { .duration(seconds: d.seconds, nanos: d.nanos) }

    static func formatTimestamp(_ seconds: Int64, _ nanos: Int32) -> String {
        (try? timestamp(seconds, nanos))?.description ?? "invalid timestamp"
    }

    static func formatDuration(_ seconds: Int64, _ nanos: Int32) -> String {
        (try? duration(seconds, nanos))?.description ?? "invalid duration"
    }
}
