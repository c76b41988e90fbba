import SpectralTime

/// `timestamp()`, `duration()` and the timestamp/duration accessors (`getFullYear`,
/// `getHours('Europe/Paris')`, ...).
enum TimeFunctions {
    static func register(_ r: inout Registry) {
        r.global("timestamp", arity: 1) { heap, args in
            switch args[0] {
            case .timestamp: return args[0]
            case .string(let h):
                do throws(TimeError) { return TimeOperations.value(try Timestamp.parse(heap.strings[Int(h)])) }
                catch { return heap.makeError("invalid timestamp: \(error.message)") }
            case .int(let seconds):
                do throws(TimeError) { return TimeOperations.value(try Timestamp(unixSeconds: seconds)) }
                catch { return heap.makeError("invalid timestamp: \(error.message)") }
            default: return noSuchOverload("timestamp", args, &heap)
            }
        }
        r.global("duration", arity: 1) { heap, args in
            switch args[0] {
            case .duration: return args[0]
            case .string(let h):
                do throws(TimeError) { return TimeOperations.value(try SpectralTime.Duration.parse(heap.strings[Int(h)])) }
                catch { return heap.makeError("invalid duration: \(error.message)") }
            default: return noSuchOverload("duration", args, &heap)
            }
        }
        for accessor in TimestampAccessor.allCases {
            let name = accessor.rawValue
            r.receiver(name, arity: 1) { heap, args in
                switch args[0] {
                case .timestamp(let s, let n):
                    return timestampField(accessor, s, n, zone: nil, &heap)
                case .duration(let s, let n):
                    return durationField(accessor, s, n, &heap) ?? noSuchOverload(name, args, &heap)
                default: return noSuchOverload(name, args, &heap)
                }
            }
            r.receiver(name, arity: 2) { heap, args in
                guard case .timestamp(let s, let n) = args[0], case .string(let z) = args[1] else {
                    return noSuchOverload(name, args, &heap)
                }
                return timestampField(accessor, s, n, zone: heap.strings[Int(z)], &heap)
            }
        }
    }

    private static func timestampField(_ accessor: TimestampAccessor, _ seconds: Int64, _ nanos: Int32,
                                       zone: String?, _ heap: inout Heap) -> Value {
        do throws(TimeError) {
            let timestamp = try Timestamp(seconds: seconds, nanos: nanos)
            let timeZone = try zone.map { name throws(TimeError) in try TimeZoneID.resolve(name) }
            return .int(try timestamp.value(of: accessor, in: timeZone))
        } catch {
            return heap.makeError(error.message)
        }
    }

    private static func durationField(_ accessor: TimestampAccessor, _ seconds: Int64, _ nanos: Int32,
                                      _ heap: inout Heap) -> Value? {
        guard let duration = try? TimeOperations.duration(seconds, nanos) else {
            return heap.makeError("invalid duration")
        }
        switch accessor {
        case .hours: return .int(duration.hours)
        case .minutes: return .int(duration.minutes)
        case .seconds: return .int(duration.seconds)
        case .milliseconds: return .int(duration.milliseconds)
        default: return nil
        }
    }
}
