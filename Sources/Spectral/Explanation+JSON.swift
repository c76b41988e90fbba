import SpectralJSON

extension ExplainedClause {
    /// `{"kind", "text", "span": [start, end], "role", "value" | "error" | "masked", "children"?,
    /// "flip"?, "element"?}`: a skipped clause has none of `value`, `error` and `masked`.
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("kind", .string(kind.rawValue)),
            ("text", .string(text)),
            ("span", span.map { .array([.number(JSONNumber(Int64($0.lowerBound))), .number(JSONNumber(Int64($0.upperBound)))]) } ?? .null),
            ("role", .string(role.rawValue)),
        ]
        members += Self.members(of: value, as: "value")
        if !children.isEmpty { members.append(("children", .array(children.map(\.jsonValue)))) }
        if let flip {
            members.append(("flip", .object(
                [("subject", .string(flip.subject))] + Self.members(of: flip.subjectValue, as: "subject_value")
                    + [("would_flip_if", .string(flip.condition))])))
        }
        if let element {
            members.append(("element", .array(element.map { .object(Self.members(of: $0, as: "value")) })))
        }
        return .object(members)
    }

    /// A value as `"value": v`, an error as `"error": "message"`, a masked value as
    /// `"masked": true`, and nothing for a clause not evaluated: kept apart so that no
    /// value can pass for an error or a mask.
    private static func members(of value: Value, as key: String) -> [(String, JSONValue)] {
        switch value {
        case .value(let v): return [(key, v.jsonValue)]
        case .error(let message): return [("error", .string(message))]
        case .masked: return [("masked", .bool(true))]
        case .notEvaluated: return []
        }
    }
}
