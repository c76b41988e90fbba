import SpectralJSON

extension VersionFindings {
    /// `{"inputs_tried", "findings": [{"kind", "input"?, "message"}], "boundaries": [{"clause",
    /// "input", "constant", "base", "points": [{"at": "below"|"at"|"above", "value", "outcome",
    /// "active_outcome"?}]}]}`: how the API shows them and how the store keeps them.
    public var jsonValue: JSONValue {
        .object([
            ("inputs_tried", .number(JSONNumber(Int64(inputsTried)))),
            ("findings", .array(findings.map(\.jsonValue))),
            ("boundaries", .array(boundaries.rows.map(\.jsonValue))),
        ])
    }

    /// Reads stored findings (`jsonValue`'s form); nil when they are not.
    public init?(json: JSONValue) {
        guard let tried = json["inputs_tried"]?.int64Value, let findings = json["findings"]?.arrayValue,
              let rows = json["boundaries"]?.arrayValue else { return nil }
        let parsedFindings = findings.compactMap(Finding.init(json:)), parsedRows = rows.compactMap(BoundaryTable.Row.init(json:))
        guard parsedFindings.count == findings.count, parsedRows.count == rows.count else { return nil }
        self.init(inputsTried: Int(tried), findings: parsedFindings, boundaries: BoundaryTable(rows: parsedRows))
    }

    public init?(jsonText: String) {
        guard let json = try? JSONValue.parse(jsonText) else { return nil }
        self.init(json: json)
    }

    /// For people (`spectral status`, the agent): each finding, then the table.
    public func summary() -> String {
        var lines = ["tried on \(inputsTried) inputs: " + (findings.isEmpty ? "no findings" : "\(findings.count) finding(s)")]
        for finding in findings { lines.append("  \(finding.kind.rawValue): \(finding.message)") }
        for row in boundaries.rows {
            let points = row.points.map { point in
                "\(point.value.serialized()) → \(point.outcome.text)" + (point.activeOutcome.map { " (active: \($0.text))" } ?? "")
            }
            lines.append("  boundary \(row.clause): " + points.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

extension VersionFindings.Finding {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("kind", .string(kind.rawValue))]
        if let input { members.append(("input", .string(input))) }
        members.append(("message", .string(message)))
        return .object(members)
    }

    init?(json: JSONValue) {
        guard let kind = json["kind"]?.stringValue.flatMap(Kind.init(rawValue:)), let message = json["message"]?.stringValue
        else { return nil }
        self.init(kind: kind, input: json["input"]?.stringValue, message: message)
    }
}

extension BoundaryTable.Row {
    var jsonValue: JSONValue {
        .object([
            ("clause", .string(clause)),
            ("input", .string(input)),
            ("constant", constant),
            ("base", .string(base)),
            ("points", .array(points.map(\.jsonValue))),
        ])
    }

    init?(json: JSONValue) {
        guard let clause = json["clause"]?.stringValue, let input = json["input"]?.stringValue, let constant = json["constant"],
              let base = json["base"]?.stringValue, let items = json["points"]?.arrayValue else { return nil }
        let points = items.compactMap(BoundaryTable.Point.init(json:))
        guard points.count == items.count else { return nil }
        self.init(clause: clause, input: input, constant: constant, base: base, points: points)
    }
}

extension BoundaryTable.Point {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("at", .string(place.rawValue)), ("value", value), ("outcome", outcome.jsonValue)]
        if let activeOutcome { members.append(("active_outcome", activeOutcome.jsonValue)) }
        return .object(members)
    }

    init?(json: JSONValue) {
        guard let place = json["at"]?.stringValue.flatMap(Place.init(rawValue:)), let value = json["value"],
              let outcome = json["outcome"].flatMap(ImpactOutcome.init(json:)) else { return nil }
        self.init(place: place, value: value, outcome: outcome, activeOutcome: json["active_outcome"].flatMap(ImpactOutcome.init(json:)))
    }
}
