import Foundation
import SpectralJSON

extension DecisionRecord {
    /// A logged decision as the API shows it (`GET /v1/decisions/{id}`), and as the JSON
    /// lines sink and `spectral decisions` print it: one shape everywhere. The input and the
    /// decision are the JSON they were; a record whose stored text no longer parses shows it
    /// as a string.
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("decision_id", .string(id.text)),
            ("created_at", .string(Self.utcSeconds(createdAt))),
            ("predicate", .string(predicate)),
            ("version", .number(JSONNumber(Int64(version)))),
            ("input", Self.embedded(input)),
        ]
        switch outcome {
        case .decided(let json): members.append(("decision", Self.embedded(json)))
        case .failed(let code): members.append(("error_code", .string(code)))
        }
        members += [
            ("fuel_used", .number(JSONNumber(fuel))),
            ("latency_us", .number(JSONNumber(latencyMicroseconds))),
            ("caller", caller.map { .string($0) } ?? .null),
            ("generation", .number(JSONNumber(generation))),
        ]
        if let shadowOf { members.append(("shadow_of", .string(shadowOf.text))) }
        return .object(members)
    }

    static func embedded(_ text: String) -> JSONValue {
        (try? JSONValue.parse(Array(text.utf8))) ?? .string(text)
    }

    /// `2025-12-06T05:46:40Z`: UTC, whole seconds (truncated), as `ISO8601DateFormatter`
    /// writes it. Formatted by hand: the JSON lines sink formats every decision, and a
    /// formatter made per record costs more than the rest of the record.
    static func utcSeconds(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil from days (Howard Hinnant's algorithm), proleptic Gregorian.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let paddedYear = year >= 0 && year < 1000 ? String(repeating: "0", count: 4 - "\(year)".count) + "\(year)" : "\(year)"
        return "\(paddedYear)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }
}
