import Logging
import SpectralJSON
#if canImport(Glibc)
import Glibc
#endif

/// The two line formats of `StandardErrorLogHandler`, given the metadata merged and sorted.
extension StandardErrorLogHandler {
    func textLine(_ event: LogEvent, _ fields: [(key: String, value: Logger.MetadataValue)]) -> String {
        let rendered = fields.isEmpty ? "" : " " + fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "\(Self.localTimestamp()) \(event.level) \(label):\(rendered) [\(event.source)] \(event.message)"
    }

    func jsonLine(_ event: LogEvent, _ fields: [(key: String, value: Logger.MetadataValue)]) -> String {
        var object: [(String, JSONValue)] = [
            ("ts", .string(Self.utcTimestamp())), ("level", .string(event.level.rawValue)),
            ("logger", .string(label)), ("msg", .string("\(event.message)")),
        ]
        for (key, value) in fields { object.append((key, .string("\(value)"))) }
        return JSONValue.object(object).serialized()
    }

    /// Local time to the second, with the zone's offset (`2026-12-07T05:59:42+0000`).
    private static func localTimestamp() -> String {
        var now = time(nil)
        var parts = tm()
        guard localtime_r(&now, &parts) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// UTC to the millisecond (`2026-12-07T05:59:42.123Z`).
    private static func utcTimestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = now.tv_sec
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let millis = Int(now.tv_nsec / 1_000_000)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}
