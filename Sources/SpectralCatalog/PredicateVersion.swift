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
    /// The CEL type the version was checked to return (`bool` unless the author said).
    public var returns: String
    /// The input fields the author listed as masked (`"mask"`); `inputMask` adds the
    /// schema-marked ones.
    public var mask: InputMask
    /// The share of this version's decisions the log keeps (times the server's rate).
    public var logSample: LogSampleRate

    /// The replay of recent logged inputs through the version active when this one was
    /// published, and this one; nil when there was none to compare with.
    public var impact: ImpactReport?
    /// Why its activation policy kept it from going live (`held`); nil when it did not.
    public var heldReason: String?
    /// What the worker found trying it (`VersionFindings`); nil for a version published
    /// before findings were kept.
    public var findings: VersionFindings?

    /// Everything masked in this version's logged inputs and input errors: the listed
    /// pointers and those its JSON Schema declarations mark `x-masked`.
    public var inputMask: InputMask { mask.union(InputMask.marking(declarations)) }

    /// `name@version`, the cache key of the decide path.
    public var reference: String { "\(name)@\(version)" }

    public init(name: String, version: Int, source: String, declarations: [String: String], bytecode: [UInt8], costBound: UInt64?,
                tests: [PredicateTest], author: String, description: String, generation: Int64, eventID: Int64, createdAt: Date,
                isActive: Bool, returns: String = "bool", mask: InputMask = .none, logSample: LogSampleRate = .all,
                impact: ImpactReport? = nil, heldReason: String? = nil, findings: VersionFindings? = nil) {
        self.name = name
        self.version = version
        self.source = source
        self.declarations = declarations
        self.bytecode = bytecode
        self.costBound = costBound
        self.tests = tests
        self.author = author
        self.description = description
        self.generation = generation
        self.eventID = eventID
        self.createdAt = createdAt
        self.isActive = isActive
        self.returns = returns
        self.mask = mask
        self.logSample = logSample
        self.impact = impact
        self.heldReason = heldReason
        self.findings = findings
    }
}

/// A predicate name with its versions.
public struct PredicateSummary: Sendable, Equatable {
    public var name: String
    public var versions: [Int]
    public var activeVersion: Int?
    public var latestVersion: Int
    public var updatedAt: Date

    public init(name: String, versions: [Int], activeVersion: Int?, latestVersion: Int, updatedAt: Date) {
        self.name = name
        self.versions = versions
        self.activeVersion = activeVersion
        self.latestVersion = latestVersion
        self.updatedAt = updatedAt
    }
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
