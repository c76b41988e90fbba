import Spectral
import SpectralSampling

/// For each comparison of an input against a number in a predicate (`age >= 18`,
/// `1000.0 < amount`), the outcome just below, at and just above that number, every other
/// input as in one the predicate was tried on: an off-by-one (`>` for `>=`) shows at a
/// glance. With an active version, its outcomes at the same points stand beside them.
public struct BoundaryTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// The comparison as written.
        public var clause: String
        /// The compared input, as a JSON pointer (`/user/age`).
        public var input: String
        public var constant: JSONValue
        /// Which input the other fields come from: `example 1`, or `generated input 7`.
        public var base: String
        /// Below, at and above the constant (just above and below for a double: the
        /// neighbouring doubles).
        public var points: [Point]
    }

    public struct Point: Sendable, Equatable {
        public enum Place: String, Sendable, CaseIterable { case below, at, above }
        public var place: Place
        public var value: JSONValue
        public var outcome: ImpactOutcome
        /// The active version's outcome at the same input; nil without one.
        public var activeOutcome: ImpactOutcome?
    }

    public var rows: [Row]

    /// Rows kept: a bound on what a report holds, whatever the predicate's size.
    public static let maxRows = 32

    public init(rows: [Row]) { self.rows = rows }

    /// `inputs`: the examples, then generated ones (`exampleCount` tells them apart). A
    /// comparison is tabled when its subject is a plain input path, its constant a number,
    /// and some input tried holds a number there to vary.
    public init(clauses: ClauseTree, source: String, candidate: Program, active: Program?,
                inputs: [JSONValue], exampleCount: Int) {
        var rows: [Row] = [], seen = Set<String>()
        let sourceBytes = Array(source.utf8)
        var candidateMachine = candidate.makeMachine(), activeMachine = active?.makeMachine()
        for clause in clauses.clauses where rows.count < Self.maxRows {
            guard let comparison = clause.comparison, comparison.operation != "in",
                  let path = comparison.subjectPath, let pointer = Self.jsonPath(path),
                  let literal = comparison.literal, let points = Self.points(around: literal) else { continue }
            let key = "\(path) \(points[1].serialized())"
            guard !seen.contains(key),
                  let baseIndex = inputs.firstIndex(where: { if case .number? = $0.value(at: pointer) { true } else { false } })
            else { continue }
            seen.insert(key)
            let base = inputs[baseIndex]
            var row = Row(clause: clause.span.text(in: sourceBytes), input: "/" + pointer.map(\.text).joined(separator: "/"),
                          constant: points[1],
                          base: baseIndex < exampleCount ? "example \(baseIndex + 1)" : "generated input \(baseIndex - exampleCount + 1)",
                          points: [])
            for (place, value) in zip(Point.Place.allCases, points) {
                let bytes = base.replacing(at: pointer, with: value).serializedBytes()
                let outcome = ImpactOutcome(candidate.evaluate(json: bytes, on: &candidateMachine))
                var activeOutcome: ImpactOutcome?
                if let active, var machine = activeMachine {
                    activeOutcome = ImpactOutcome(active.evaluate(json: bytes, on: &machine))
                    activeMachine = machine
                }
                row.points.append(Point(place: place, value: value, outcome: outcome, activeOutcome: activeOutcome))
            }
            rows.append(row)
        }
        self.rows = rows
    }

    /// The JSON path of an input path made only of fields.
    static func jsonPath(_ path: InputPath) -> [JSONPathStep]? {
        var steps: [JSONPathStep] = [.key(path.variable)]
        for segment in path.segments {
            guard case .field(let name) = segment else { return nil }
            steps.append(.key(name))
        }
        return steps
    }

    /// Below, at, above: ±1 around an integer, the neighbouring doubles around a double.
    static func points(around literal: Literal) -> [JSONValue]? {
        switch literal {
        case .int(let value):
            guard value > .min, value < .max else { return nil }
            return [value - 1, value, value + 1].map { .number(JSONNumber($0)) }
        case .uint(let value):
            guard value > 0, value < .max else { return nil }
            return [value - 1, value, value + 1].map { .number(JSONNumber($0)) }
        case .double(let value):
            guard value.isFinite else { return nil }
            let numbers = [value.nextDown, value, value.nextUp].compactMap(JSONNumber.init)
            return numbers.count == 3 ? numbers.map(JSONValue.number) : nil
        default:
            return nil
        }
    }
}

extension JSONPathStep {
    var text: String {
        switch self {
        case .key(let key): return InputJSONSchema.pointerEscaped(key)
        case .index(let index): return String(index)
        }
    }
}
