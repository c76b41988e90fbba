import Foundation
import Spectral

/// One published version of a predicate.
public struct PredicateVersion: Sendable, Equatable {
    public var name: String
    public var version: Int
    public var source: String
    public var declarations: [String: String]
    /// The SPBC module. Never trusted: whoever runs it decodes and verifies it first.
    public var bytecode: [UInt8]
    /// The static fuel bound; nil when it depends on input sizes.
    public var costBound: UInt64?
    public var tests: [PredicateTest]
    public var author: String
    public var description: String
    public var generation: Int64
    /// The outbox event that produced this version.
    public var eventID: Int64
    public var createdAt: Date
    public var isActive: Bool

    /// `name@version`, the cache key of the decide path.
    public var reference: String { "\(name)@\(version)" }
}

/// A predicate name with its versions.
public struct PredicateSummary: Sendable, Equatable {
    public var name: String
    public var versions: [Int]
    public var activeVersion: Int?
    public var latestVersion: Int
    public var updatedAt: Date
}

extension PredicateVersion {
    /// Stored JSON columns back into values; a column that does not decode means the row
    /// was written by something other than this store.
    static func decodeDeclarations(_ text: String) throws(StoreError) -> [String: String] {
        guard let members = (try? JSONValue.parse(text))?.objectValue else { throw .corruptRow("declarations: \(text)") }
        var declarations: [String: String] = [:]
        for (name, type) in members {
            guard let type = type.stringValue else { throw .corruptRow("declarations: \(text)") }
            declarations[name] = type
        }
        return declarations
    }

    static func decodeTests(_ text: String) throws(StoreError) -> [PredicateTest] {
        guard let json = try? JSONValue.parse(text), let tests = try? PredicateTest.list(json: json) else {
            throw .corruptRow("tests: \(text)")
        }
        return tests
    }
}

extension HandlerEffect.NewVersion {
    var declarationsJSON: String { AuthoringRequest.declarationsJSON(request.declarations).serialized() }
    var testsJSON: String { JSONValue.array(request.tests.map(\.jsonValue)).serialized() }
}

extension PredicateSummary {
    public var jsonValue: JSONValue {
        .object([
            ("name", .string(name)),
            ("versions", .array(versions.map { .number(JSONNumber(Int64($0))) })),
            ("active_version", activeVersion.map { .number(JSONNumber(Int64($0))) } ?? .null),
            ("latest_version", .number(JSONNumber(Int64(latestVersion)))),
        ])
    }
}
