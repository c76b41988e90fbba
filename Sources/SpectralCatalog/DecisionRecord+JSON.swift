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
    /// writes it. Formatted by hand (`UTCTime`): the JSON lines sink formats every decision.
    static func utcSeconds(_ date: Date) -> String {
        UTCTime(unixMilliseconds: Int64(date.timeIntervalSince1970.rounded(.down)) * 1000).isoSeconds
    }
}
