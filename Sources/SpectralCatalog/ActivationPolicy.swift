import SpectralJSON

/// When a published version goes live: `"always"` (as before impact reports),
/// `"if_unchanged"` (no replayed decision changed, and no generated input was decided
/// differently), or limits on what its impact report (`ImpactReport`) and findings
/// (`VersionFindings`) may show: `{"max_changed_fraction": 0.02, "forbid": ["false->true"],
/// "hold_on_findings": true}`. `max_changed_fraction` is a share of logged traffic, so it
/// reads the replay alone; `forbid` reads the replay and the generated inputs. A version
/// the policy stops is published `held`: decidable by pinning its version, never active
/// until an admin activates it.
public enum ActivationPolicy: Sendable, Equatable {
    case always
    case ifUnchanged
    case limits(maxChangedFraction: Double?, forbid: [ImpactReport.Change], holdOnFindings: Bool = false)

    static let fields = ["max_changed_fraction", "forbid", "hold_on_findings"]

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
            var holdOnFindings = false
            if let field = json["hold_on_findings"], !field.isNull {
                guard case .bool(let flag) = field else {
                    throw PredicateDefinitionError("\"activation.hold_on_findings\" must be true or false")
                }
                holdOnFindings = flag
            }
            self = .limits(maxChangedFraction: fraction, forbid: forbid.sorted(), holdOnFindings: holdOnFindings)
        default:
            throw PredicateDefinitionError(
                "\"activation\" must be \"always\", \"if_unchanged\" or {\"max_changed_fraction\": 0.02, \"forbid\": [\"false->true\"], \"hold_on_findings\": true}")
        }
    }

    public var jsonValue: JSONValue {
        switch self {
        case .always: return .string("always")
        case .ifUnchanged: return .string("if_unchanged")
        case .limits(let fraction, let forbid, let holdOnFindings):
            var members: [(String, JSONValue)] = []
            if let fraction, let number = JSONNumber(fraction) { members.append(("max_changed_fraction", .number(number))) }
            members.append(("forbid", .array(forbid.map { .string($0.rawValue) })))
            if holdOnFindings { members.append(("hold_on_findings", .bool(true))) }
            return .object(members)
        }
    }

    /// Why the version's impact report and findings keep it from going live, or nil when it
    /// may. Without a report (no version was active) only the findings can hold it.
    public func holdReason(for report: ImpactReport?, findings: VersionFindings? = nil) -> String? {
        let generated = report?.generated ?? ImpactReport.GeneratedComparison()
        switch self {
        case .always:
            return nil
        case .ifUnchanged:
            guard let report else { return nil }
            if report.changed > 0 {
                return "activation is if_unchanged, and \(report.changed) of \(report.replayed) replayed decisions changed"
            }
            if generated.changed > 0 {
                return "activation is if_unchanged, and \(generated.changed) of \(generated.tried) generated inputs were decided differently"
            }
            return nil
        case .limits(let fraction, let forbid, let holdOnFindings):
            if let report {
                let total = { (change: ImpactReport.Change) in report.changes[change, default: 0] + generated.changes[change, default: 0] }
                let seen = forbid.filter { total($0) > 0 }
                if !seen.isEmpty {
                    let counts = seen.map { change in
                        "\(report.changes[change, default: 0]) \(change.rawValue) replayed"
                            + (generated.changes[change].map { ", \($0) generated" } ?? "")
                    }.joined(separator: "; ")
                    return "activation forbids \(seen.map(\.rawValue).joined(separator: ", ")); found \(counts)"
                }
                if let fraction, report.changedFraction > fraction {
                    return "\(report.changed) of \(report.replayed) replayed decisions changed (\(Self.percent(report.changedFraction))), over the max_changed_fraction of \(Self.percent(fraction))"
                }
            }
            if holdOnFindings, let findings, !findings.findings.isEmpty {
                return "activation holds on findings, and there are \(findings.findings.count): "
                    + findings.findings.map(\.message).joined(separator: "; ")
            }
            return nil
        }
    }

    private static func percent(_ fraction: Double) -> String {
        let tenths = (fraction * 1000).rounded() / 10
        return "\(tenths)%"
    }
}
