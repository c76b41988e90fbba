import Foundation
import Spectral
import Testing

/// Explained programs: the same decisions for the same fuel as plain ones, and clause trees
/// that say which clauses decided, which were evaluated and which a short-circuit skipped.
@Suite struct ExplanationTests {
    /// `source` explained on `input` (JSON text), every top-level member of which is
    /// declared `dyn` unless `declarations` says otherwise.
    static func explain(_ source: String, _ input: String, declarations: [String: CELType] = [:],
                        masks: [String] = [], limits: Limits = Limits()) throws -> Explanation {
        let members = try JSONSerialization.jsonObject(with: Data(input.utf8)) as? [String: Any] ?? [:]
        var variables = declarations
        for name in members.keys where variables[name] == nil { variables[name] = .dyn }
        let explainer = try Explainer.compile(source, in: Environment(variables: variables, limits: limits))
        // Pointers as `/a/b` with `*` for any element: what `SpectralCatalog.InputMask` parses.
        let paths = masks.map { $0.dropFirst().split(separator: "/").map { $0 == "*" ? nil : String($0) } }
        return explainer.explain(json: Array(input.utf8), masks: InputMasks(paths: paths))
    }

    static func root(_ explanation: Explanation) throws -> ExplainedClause {
        try #require(explanation.root)
    }

    // MARK: The same decisions

    struct Workload: Sendable, CustomTestStringConvertible {
        var name: String
        var source: String
        var input: String
        var testDescription: String { name }
    }

    static let workload: [Workload] = {
        let url = repositoryRoot.appendingPathComponent("Fixtures/bench/predicates.json")
        guard let data = try? Data(contentsOf: url),
              let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return entries.compactMap { entry in
            guard let name = entry["name"] as? String, let source = entry["expr"] as? String, let input = entry["input"],
                  let bytes = try? JSONSerialization.data(withJSONObject: input) else { return nil }
            return Workload(name: name, source: source, input: String(decoding: bytes, as: UTF8.self))
        }
    }()

    @Test func theWorkloadIsThere() {
        #expect(Self.workload.count >= 8)
    }

    /// `trace` is free and changes no other instruction: the explained run decides what the
    /// plain one does, for exactly its fuel, and the root clause holds the decision.
    @Test(arguments: workload) func explainedRunsDecideAsPlainOnes(_ case: Workload) throws {
        let members = try JSONSerialization.jsonObject(with: Data(`case`.input.utf8)) as? [String: Any] ?? [:]
        let environment = Environment(variables: Dictionary(uniqueKeysWithValues: members.keys.map { ($0, CELType.dyn) }))
        let plain = try compile(`case`.source, in: environment).evaluate(json: Array(`case`.input.utf8))
        let explainer = try Explainer.compile(`case`.source, in: environment)
        let explanation = explainer.explain(json: Array(`case`.input.utf8))
        #expect(explanation.evaluation.result == plain.result)
        #expect(explanation.evaluation.fuelUsed == plain.fuelUsed)
        let root = try Self.root(explanation)
        #expect(root.role == .decided)
        if case .success(let decision) = plain.result { #expect(root.value == .value(decision)) }
        #expect(try compile(`case`.source, in: environment).module.costBound == explainer.program.module.costBound)
    }

    // MARK: Trees

    @Test func andShortCircuitsOnItsFirstFalseClause() throws {
        let root = try Self.root(Self.explain("amount > 1000.0 && country == 'US'", #"{"amount": 500.0, "country": "US"}"#))
        #expect(root.kind == .and)
        #expect(root.value == .value(.bool(false)))
        #expect(root.children.map(\.role) == [.decided, .skipped])
        #expect(root.children[1].value == .notEvaluated)
        let first = root.children[0]
        #expect(first.text == "amount > 1000.0")
        #expect(first.span == 0..<15)
        #expect(first.flip == ExplainedClause.Flip(subject: "amount", subjectValue: .value(.double(500)), condition: "amount > 1000.0"))
    }

    @Test func aTrueAndWasDecidedByBothClauses() throws {
        let root = try Self.root(Self.explain("a < 3 && b in ['x', 'y']", #"{"a": 1, "b": "y"}"#))
        #expect(root.value == .value(.bool(true)))
        #expect(root.children.map(\.role) == [.decided, .decided])
        #expect(root.children[0].flip?.condition == "a >= 3")
        #expect(root.children[1].flip?.condition == "!(b in ['x', 'y'])")
        #expect(root.children[1].flip?.subjectValue == .value(.string("y")))
    }

    @Test func orAbsorbsAnErrorAndSaysWhichClauseDecided() throws {
        let root = try Self.root(Self.explain("user.missing == 1 || user.age >= 18", #"{"user": {"age": 30}}"#))
        #expect(root.kind == .or)
        #expect(root.value == .value(.bool(true)))
        guard case .error(let message) = root.children[0].value else {
            Issue.record("expected an error, got \(root.children[0].value)")
            return
        }
        #expect(message.contains("missing"))
        #expect(root.children.map(\.role) == [.evaluated, .decided])
        #expect(root.children[1].flip?.condition == "user.age < 18")
    }

    @Test func anErrorThatNoClauseAbsorbsDecides() throws {
        let explanation = try Self.explain("x.missing || false", #"{"x": {}}"#)
        let root = try Self.root(explanation)
        guard case .error = root.value else { Issue.record("expected an error, got \(root.value)"); return }
        #expect(root.children.map(\.role) == [.decided, .evaluated])
    }

    @Test func aTernaryEvaluatesOneBranch() throws {
        let root = try Self.root(Self.explain("vip ? limit > 10 : limit > 100", #"{"vip": false, "limit": 50}"#))
        #expect(root.kind == .conditional)
        #expect(root.value == .value(.bool(false)))
        #expect(root.children.map(\.role) == [.decided, .skipped, .decided])
        #expect(root.children[2].flip?.condition == "limit > 100")
    }

    @Test func notInvertsAndDecides() throws {
        let root = try Self.root(Self.explain("!(banned == true)", #"{"banned": true}"#))
        #expect(root.kind == .not)
        #expect(root.value == .value(.bool(false)))
        #expect(root.children[0].role == .decided)
        #expect(root.children[0].value == .value(.bool(true)))
    }

    /// The element that failed `all` is the one the loop ended on; its predicate's clauses
    /// are read as of that element, not an earlier one.
    @Test func allShowsTheElementThatFailed() throws {
        let source = "items.all(i, i.price > 0 && i.qty > 0)"
        let input = #"{"items": [{"price": 1, "qty": 1}, {"price": -2, "qty": 5}, {"price": 3, "qty": 1}]}"#
        let root = try Self.root(Self.explain(source, input))
        #expect(root.kind == .all)
        #expect(root.value == .value(.bool(false)))
        #expect(root.element == [.value(.map([(key: .string("price"), value: .int(-2)), (key: .string("qty"), value: .int(5))]))])
        let predicate = root.children[0]
        #expect(predicate.kind == .and)
        #expect(predicate.role == .decided)
        #expect(predicate.children.map(\.role) == [.decided, .skipped])
        #expect(predicate.children[0].flip?.subjectValue == .value(.int(-2)))
        #expect(predicate.children[1].value == .notEvaluated)
    }

    @Test func existsShowsTheElementThatSatisfiedIt() throws {
        let root = try Self.root(Self.explain("tags.exists(t, t == 'urgent')", #"{"tags": ["low", "urgent", "x"]}"#))
        #expect(root.kind == .exists)
        #expect(root.value == .value(.bool(true)))
        #expect(root.element == [.value(.string("urgent"))])
    }

    @Test func anEmptyRangeSkipsThePredicate() throws {
        let root = try Self.root(Self.explain("items.all(i, i > 0)", #"{"items": []}"#))
        #expect(root.value == .value(.bool(true)))
        #expect(root.children[0].role == .skipped)
        #expect(root.element == nil)
    }

    @Test func aLeafIsNotTakenApart() throws {
        let root = try Self.root(Self.explain("size(name) + 1 > 3", #"{"name": "ab"}"#))
        #expect(root.kind == .leaf)
        #expect(root.children.isEmpty)
        #expect(root.flip == ExplainedClause.Flip(subject: "size(name) + 1", subjectValue: .value(.int(3)), condition: "size(name) + 1 > 3"))
    }

    // MARK: Masks and limits

    @Test func maskedValuesAreNotShown() throws {
        let source = "user.ssn == '123-45-6789' || user.ssn.substring(0, 3) == '999' || user.age > 40"
        let input = #"{"user": {"ssn": "987-65-4321", "age": 30}}"#
        let root = try Self.root(Self.explain(source, input, masks: ["/user/ssn"]))
        #expect(root.value == .value(.bool(false)))
        let text = root.jsonValue.serialized()
        #expect(!text.contains("987"))
        #expect(root.children[0].flip?.subjectValue == .masked)
        #expect(root.children[1].children[0].flip?.subjectValue == .masked)
        // The age is not masked: its flip shows it.
        #expect(root.children[1].children[1].flip?.subjectValue == .value(.int(30)))
        // Without the mask, the same explanation shows the number.
        #expect(try Self.root(Self.explain(source, input)).jsonValue.serialized().contains("987"))
    }

    @Test func aMaskedElementOfARangeIsNotShown() throws {
        let input = #"{"cards": [{"number": "4111111111111111", "ok": false}]}"#
        let root = try Self.root(Self.explain("cards.all(c, c.ok)", input, masks: ["/cards/*/number"]))
        #expect(root.element == [.masked])
        #expect(!root.jsonValue.serialized().contains("4111"))
    }

    @Test func masksCoverWhatHoldsOrLiesWithinAMaskedPlace() {
        let ssn = InputMasks(paths: [["user", "ssn"]])
        #expect(!ssn.covers(InputPath(variable: "user", segments: [.field("age")])))
        #expect(ssn.covers(InputPath(variable: "user")))
        #expect(ssn.covers(InputPath(variable: "user", segments: [.field("ssn"), .field("last4")])))
        #expect(ssn.covers(InputPath(variable: "user", segments: [.unknown])))
        #expect(!ssn.covers(InputPath(variable: "account", segments: [.field("ssn")])))
        #expect(InputMasks(paths: [["cards", nil, "number"]]).covers(InputPath(variable: "cards", segments: [.anyElement, .field("number")])))
        #expect(!InputMasks(paths: [["cards", nil, "number"]]).covers(InputPath(variable: "cards", segments: [.anyElement, .field("ok")])))
    }

    @Test func anExplainedRunHasTheSameFuelLimit() throws {
        let source = "items.all(i, i > 0) && items.exists(i, i > 5)"
        let input = #"{"items": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}"#
        let explanation = try Self.explain(source, input, limits: Limits(fuel: 30))
        #expect(explanation.evaluation.result == .failure(.fuelExhausted(limit: 30)))
        let root = try Self.root(explanation)
        #expect(root.value == .notEvaluated)
    }
}
