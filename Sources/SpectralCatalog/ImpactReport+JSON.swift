import Foundation
import SpectralJSON

extension ImpactReport {
    /// `{"compared_with", "replayed", "unchanged", "changed", "changed_fraction", "changes":
    /// {kind: count}, "examples": {kind: [{"decision_id", "input", "before", "after"}]},
    /// "fuel": {"active": {"p50", "p99"}, "candidate": {…}}}`: how the API shows it and how
    /// the store keeps it. Every kind of change is listed, with 0 when none.
    public var jsonValue: JSONValue {
        .object([
            ("compared_with", .number(JSONNumber(Int64(comparedWith)))),
            ("replayed", .number(JSONNumber(Int64(replayed)))),
            ("unchanged", .number(JSONNumber(Int64(unchanged)))),
            ("changed", .number(JSONNumber(Int64(changed)))),
            ("changed_fraction", JSONNumber(changedFraction).map(JSONValue.number) ?? .null),
            ("changes", Change.countsJSON(changes)),
            ("examples", Example.listsJSON(examples)),
            ("fuel", .object([("active", activeFuel.jsonValue), ("candidate", candidateFuel.jsonValue)])),
            ("declaration_changes", .array(declarationChanges.map(JSONValue.string))),
            ("generated", generated?.jsonValue ?? .null),
        ])
    }

    /// Reads a stored report (`jsonValue`'s form); nil when it is not one.
    public init?(json: JSONValue) {
        guard let comparedWith = json["compared_with"]?.int64Value, let replayed = json["replayed"]?.int64Value,
              let unchanged = json["unchanged"]?.int64Value,
              let active = json["fuel"]?["active"].flatMap(FuelSummary.init), let candidate = json["fuel"]?["candidate"].flatMap(FuelSummary.init)
        else { return nil }
        guard let changes = Change.counts(json: json["changes"]), let examples = Example.lists(json: json["examples"]) else { return nil }
        var generated: GeneratedComparison?
        if let field = json["generated"], !field.isNull {
            guard let comparison = GeneratedComparison(json: field) else { return nil }
            generated = comparison
        }
        self.init(comparedWith: Int(comparedWith), replayed: Int(replayed), unchanged: Int(unchanged), changes: changes,
                  examples: examples, activeFuel: active, candidateFuel: candidate,
                  declarationChanges: json["declaration_changes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                  generated: generated)
    }

    public init?(jsonText: String) {
        guard let json = try? JSONValue.parse(jsonText) else { return nil }
        self.init(json: json)
    }
}

extension ImpactReport.GeneratedComparison {
    /// `{"tried", "changed", "changes": {kind: count}, "examples": {kind: [{"input", "before", "after"}]}}`.
    var jsonValue: JSONValue {
        .object([
            ("tried", .number(JSONNumber(Int64(tried)))),
            ("changed", .number(JSONNumber(Int64(changed)))),
            ("changes", ImpactReport.Change.countsJSON(changes)),
            ("examples", ImpactReport.Example.listsJSON(examples)),
        ])
    }

    init?(json: JSONValue) {
        guard let tried = json["tried"]?.int64Value, let changes = ImpactReport.Change.counts(json: json["changes"]),
              let examples = ImpactReport.Example.lists(json: json["examples"]) else { return nil }
        self.init(tried: Int(tried), changes: changes, examples: examples)
    }
}

extension ImpactReport.Example {
    /// `{"decision_id"?, "input", "before", "after"}`: a generated input has no decision id.
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = []
        if let decisionID { members.append(("decision_id", .string(decisionID.text))) }
        members += [
            ("input", (try? JSONValue.parse(input)) ?? .string(input)),
            ("before", before.jsonValue),
            ("after", after.jsonValue),
        ]
        return .object(members)
    }

    init?(json: JSONValue) {
        var id: DecisionID?
        if let text = json["decision_id"]?.stringValue {
            guard let parsed = DecisionID(text: text) else { return nil }
            id = parsed
        }
        guard let input = json["input"], let before = json["before"].flatMap(ImpactOutcome.init),
              let after = json["after"].flatMap(ImpactOutcome.init) else { return nil }
        self.init(decisionID: id, input: input.stringValue ?? input.serialized(), before: before, after: after)
    }

    /// `{kind: [example]}`, only the kinds that have examples.
    static func listsJSON(_ lists: [ImpactReport.Change: [Self]]) -> JSONValue {
        .object(ImpactReport.Change.allCases.compactMap { change in lists[change].map { (change.rawValue, .array($0.map(\.jsonValue))) } })
    }

    /// Reads `listsJSON`'s form; an absent field is no examples, a malformed one nil.
    static func lists(json: JSONValue?) -> [ImpactReport.Change: [Self]]? {
        var lists: [ImpactReport.Change: [Self]] = [:]
        for (key, list) in json?.objectValue ?? [] {
            guard let change = ImpactReport.Change(rawValue: key), let items = list.arrayValue else { return nil }
            lists[change] = items.compactMap(Self.init)
        }
        return lists
    }
}

extension ImpactReport.Change {
    /// `{"true->false": n, …}`, every kind listed, 0 when none: a report's or a shadow
    /// run's counts.
    public static func countsJSON(_ counts: [Self: Int]) -> JSONValue {
        .object(allCases.map { ($0.rawValue, .number(JSONNumber(Int64(counts[$0, default: 0])))) })
    }

    /// Reads `countsJSON`'s form, keeping the kinds counted more than 0; nil when malformed.
    static func counts(json: JSONValue?) -> [Self: Int]? {
        guard let members = json?.objectValue else { return nil }
        var counts: [Self: Int] = [:]
        for (key, count) in members {
            guard let change = Self(rawValue: key), let count = count.int64Value else { return nil }
            if count > 0 { counts[change] = Int(count) }
        }
        return counts
    }
}

extension ImpactOutcome {
    /// A logged outcome: its decision's JSON (text that no longer parses kept as a string,
    /// as the log's reader shows it), or its error code.
    public init(_ logged: DecisionRecord.Outcome) {
        switch logged {
        case .decided(let json): self = .decided(DecisionRecord.embedded(json))
        case .failed(let code): self = .failed(code: code)
        }
    }

    /// The outcome as the decision log records it (a shadow version's disagreement).
    public var logged: DecisionRecord.Outcome {
        switch self {
        case .decided(let value): return .decided(json: value.serialized())
        case .failed(let code): return .failed(code: code)
        }
    }

    /// `{"decision": value}` or `{"error_code": code}`, as the decision log shows outcomes.
    public var jsonValue: JSONValue {
        switch self {
        case .decided(let value): return .object([("decision", value)])
        case .failed(let code): return .object([("error_code", .string(code))])
        }
    }

    init?(json: JSONValue) {
        if let decision = json["decision"] { self = .decided(decision) } else if let code = json["error_code"]?.stringValue { self = .failed(code: code) } else { return nil }
    }
}

extension ImpactReport.FuelSummary {
    var jsonValue: JSONValue { .object([("p50", .number(JSONNumber(p50))), ("p99", .number(JSONNumber(p99)))]) }

    init?(json: JSONValue) {
        guard let p50 = json["p50"]?.int64Value, let p99 = json["p99"]?.int64Value, p50 >= 0, p99 >= 0 else { return nil }
        self.init(p50: UInt64(p50), p99: UInt64(p99))
    }
}
