import SpectralBytecode
import SpectralTime

/// `timestamp()`, `duration()` and the timestamp/duration accessors (`getFullYear`,
/// `getHours('Europe/Paris')`, ...).
enum TimeFunctions {
    static let functions: [LibraryFunction] = [
        LibraryFunction("timestamp", [
            .global("string_to_timestamp", [.string], .timestamp) { heap, args in
                guard case .string(let h) = args[0] else { return noSuchOverload("timestamp", args, &heap) }
                do throws(TimeError) { return TimeOperations.value(try Timestamp.parse(heap.strings[Int(h)])) }
                catch { return heap.makeError("invalid timestamp: \(error.message)") }
            },
            .global("timestamp_to_timestamp", [.timestamp], .timestamp, Conversions.identity(.timestamp, "timestamp")),
            .global("int_to_timestamp", [.int], .timestamp) { heap, args in
                guard case .int(let seconds) = args[0] else { return noSuchOverload("timestamp", args, &heap) }
                do throws(TimeError) { return TimeOperations.value(try Timestamp(unixSeconds: seconds)) }
                catch { return heap.makeError("invalid timestamp: \(error.message)") }
            },
        ]),
        LibraryFunction("duration", [
            .global("string_to_duration", [.string], .duration) { heap, args in
                guard case .string(let h) = args[0] else { return noSuchOverload("duration", args, &heap) }
                do throws(TimeError) { return TimeOperations.value(try SpectralTime.Duration.parse(heap.strings[Int(h)])) }
                catch { return heap.makeError("invalid duration: \(error.message)") }
            },
            .global("duration_to_duration", [.duration], .duration, Conversions.identity(.duration, "duration")),
        ]),
    ] + TimestampAccessor.allCases.map(accessor)

    /// `t.getHours()`, `t.getHours(zone)`, and for the hour-and-smaller fields `d.getHours()`.
    private static func accessor(_ accessor: TimestampAccessor) -> LibraryFunction {
        let name = accessor.rawValue
        var overloads: [LibraryOverload] = [
            .receiver("timestamp_\(name)", [.timestamp], .int) { heap, args in
                guard case .timestamp(let s, let n) = args[0] else { return noSuchOverload(name, args, &heap) }
                return timestampField(accessor, s, n, zone: nil, &heap)
            },
            .receiver("timestamp_\(name)_with_tz", [.timestamp, .string], .int) { heap, args in
                guard case .timestamp(let s, let n) = args[0], case .string(let z) = args[1] else {
                    return noSuchOverload(name, args, &heap)
                }
                return timestampField(accessor, s, n, zone: heap.strings[Int(z)], &heap)
            },
        ]
        if [.hours, .minutes, .seconds, .milliseconds].contains(accessor) {
            overloads.append(.receiver("duration_\(name)", [.duration], .int) { heap, args in
                guard case .duration(let s, let n) = args[0] else { return noSuchOverload(name, args, &heap) }
                return durationField(accessor, s, n, &heap) ?? noSuchOverload(name, args, &heap)
            })
        }
        return LibraryFunction(name, overloads)
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
