import SpectralJSON

/// When a published version of a predicate that already has an active one goes live:
/// `"always"` (as before impact reports), `"if_unchanged"` (no replayed decision changed),
/// or limits on what its impact report (`ImpactReport`) may show:
/// `{"max_changed_fraction": 0.02, "forbid": ["false->true"]}`. A version the policy stops
/// is published `held`: decidable by pinning its version, never active until an admin
/// activates it.
public enum ActivationPolicy: Sendable, Equatable {
    case always
    case ifUnchanged
    case limits(maxChangedFraction: Double?, forbid: [ImpactReport.Change])

    static let fields = ["max_changed_fraction", "forbid"]

    public init(json: JSONValue) throws(PredicateDefinitionError) {
        switch json {
        case .null, .string("always"): self = .always
        case .string("if_unchanged"): self = .ifUnchanged
        case .object(let members):
            try PredicateDefinitionError.refuseUnknown(members.map(\.0), in: "\"activation\"", expected: Self.fields)
            var fraction: Double?
            if let field = json["max_changed_fraction"], !field.isNull {
                guard let number = field.doubleValue, number >= 0, number <= 1 else {
                    throw PredicateDefinitionError("\"activation.max_changed_fraction\" must be a number from 0 to 1")
                }
                fraction = number
            }
            var forbid: [ImpactReport.Change] = []
            if let field = json["forbid"], !field.isNull {
                let kinds = ImpactReport.Change.allCases.map(\.rawValue).joined(separator: ", ")
                guard let items = field.arrayValue else {
                    throw PredicateDefinitionError("\"activation.forbid\" must be a list of changes: \(kinds)")
                }
                for item in items {
                    guard let text = item.stringValue, let change = ImpactReport.Change(rawValue: text) else {
                        throw PredicateDefinitionError("\"activation.forbid\" holds \(item.serialized()), not one of \(kinds)")
                    }
                    if !forbid.contains(change) { forbid.append(change) }
                }
            }
            self = .limits(maxChangedFraction: fraction, forbid: forbid.sorted())
        default:
            throw PredicateDefinitionError(
                "\"activation\" must be \"always\", \"if_unchanged\" or {\"max_changed_fraction\": 0.02, \"forbid\": [\"false->true\"]}")
        }
    }

    public var jsonValue: JSONValue {
        switch self {
        case .always: return .string("always")
        case .ifUnchanged: return .string("if_unchanged")
        case .limits(let fraction, let forbid):
            var members: [(String, JSONValue)] = []
            if let fraction, let number = JSONNumber(fraction) { members.append(("max_changed_fraction", .number(number))) }
            members.append(("forbid", .array(forbid.map { .string($0.rawValue) })))
            return .object(members)
        }
    }

    /// Why `report` keeps the version from going live, or nil when it may.
    public func holdReason(for report: ImpactReport) -> String? {
        switch self {
        case .always:
            return nil
        case .ifUnchanged:
            guard report.changed > 0 else { return nil }
            return "activation is if_unchanged, and \(report.changed) of \(report.replayed) replayed decisions changed"
        case .limits(let fraction, let forbid):
            let seen = forbid.filter { report.changes[$0, default: 0] > 0 }
            if !seen.isEmpty {
                let counts = seen.map { "\(report.changes[$0]!) \($0.rawValue)" }.joined(separator: ", ")
                return "activation forbids \(seen.map(\.rawValue).joined(separator: ", ")); the replay found \(counts)"
            }
            if let fraction, report.changedFraction > fraction {
                return "\(report.changed) of \(report.replayed) replayed decisions changed (\(Self.percent(report.changedFraction))), over the max_changed_fraction of \(Self.percent(fraction))"
            }
            return nil
        }
    }

    private static func percent(_ fraction: Double) -> String {
        let tenths = (fraction * 1000).rounded() / 10
        return "\(tenths)%"
    }
}
