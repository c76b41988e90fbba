import Foundation
import Spectral
import SpectralCatalog
import SpectralStore
import SpectralWorker
import Testing

@Suite("The predicate.authored handler")
struct PredicateAuthoredHandlerTests {
    static let user = ["user": "map(string, dyn)"]

    static func event(_ payload: String) -> OutboxEvent {
        OutboxEvent(id: 1, generation: 1, topic: OutboxMessage.Topic.predicateAuthored, payload: payload, attempts: 0, createdAt: Date())
    }

    static func request(_ source: String, declarations: [String: String] = user, tests: [PredicateTest] = []) -> String {
        PredicateDefinition(name: "subject", source: source, declarations: declarations, tests: tests).jsonValue.serialized()
    }

    static func test(age: Int, expect: Bool, name: String? = nil) throws -> PredicateTest {
        PredicateTest(name: name, input: try JSONValue.parse(#"{"user": {"age": \#(age)}}"#), expect: .bool(expect))
    }

    /// The diagnostics of a rejection; records an issue when the effect is not one.
    static func rejection(_ payload: String, handler: PredicateAuthoredHandler = PredicateAuthoredHandler()) throws
        -> HandlerEffect.Rejection? {
        let effect = try handler.handle(event(payload))
        guard case .reject(let rejection) = effect else {
            Issue.record("expected a rejection, got \(effect)")
            return nil
        }
        return rejection
    }

    @Test("the handler names its topic and itself")
    func identity() {
        let handler = PredicateAuthoredHandler()
        #expect(handler.topic == "predicate.authored")
        #expect(!handler.name.isEmpty)
    }

    @Test("a valid request is published with bytecode that loads and decides")
    func validRequestPublishes() throws {
        let tests = [try Self.test(age: 30, expect: true), try Self.test(age: 3, expect: false)]
        let payload = Self.request("user.age >= 18", tests: tests)
        let effect = try PredicateAuthoredHandler().handle(Self.event(payload))
        guard case .publish(let new) = effect else {
            Issue.record("expected a publication, got \(effect)")
            return
        }
        #expect(new.request == (try PredicateDefinition(jsonText: payload)))
        #expect(new.costBound != nil)
        let program = try Program(bytes: new.bytecode)
        #expect(try program.evaluate(json: Array(#"{"user": {"age": 18}}"#.utf8)).result.get() == .bool(true))
        #expect(try program.evaluate(json: Array(#"{"user": {"age": 17}}"#.utf8)).result.get() == .bool(false))
    }

    @Test("a parse error is rejected at stage parse with its line and column")
    func parseErrorIsLocated() throws {
        let source = "user.age >= 18 &&\n  user.name == )"
        let rejection = try #require(try Self.rejection(Self.request(source)))
        #expect(rejection.name == "subject" && rejection.source == source)
        let diagnostic = try #require(rejection.diagnostics.first)
        #expect(diagnostic.stage == "parse")
        #expect(diagnostic.line == 2)
        #expect(diagnostic.column == 16)
        #expect(diagnostic.rendered?.contains("user.name == )") == true)
    }

    @Test("an undeclared variable is rejected at stage check with its location")
    func undeclaredVariableIsRejected() throws {
        let rejection = try #require(try Self.rejection(Self.request("user.age >= 18 && account.open")))
        let diagnostic = try #require(rejection.diagnostics.first)
        #expect(diagnostic.stage == "check")
        #expect(diagnostic.message.contains("account"))
        #expect(diagnostic.line == 1 && diagnostic.column == 19)
        #expect(diagnostic.rendered != nil)
    }

    @Test("a type error is rejected at stage check")
    func typeErrorIsRejected() throws {
        let rejection = try #require(try Self.rejection(Self.request("count + 'x'", declarations: ["count": "int"])))
        #expect(rejection.diagnostics.map(\.stage) == ["check"])
    }

    @Test("bad declaration types are all rejected at stage declaration")
    func badDeclarationsAreRejected() throws {
        let rejection = try #require(try Self.rejection(Self.request(
            "true", declarations: ["user": "map(string", "age": "integer", "fine": "int"])))
        #expect(rejection.diagnostics.map(\.stage) == ["declaration", "declaration"])
        #expect(rejection.diagnostics.map { $0.message.hasPrefix("age:") || $0.message.hasPrefix("user:") } == [true, true])
        #expect(rejection.diagnostics.allSatisfy { $0.line == nil && $0.column == nil })
    }

    @Test("failing attached tests are all rejected at stage test")
    func failingTestsAreRejected() throws {
        let tests = [try Self.test(age: 30, expect: true), try Self.test(age: 30, expect: false, name: "wrong"),
                     try Self.test(age: 3, expect: true)]
        let rejection = try #require(try Self.rejection(Self.request("user.age >= 18", tests: tests)))
        #expect(rejection.diagnostics.map(\.stage) == ["test", "test"])
        #expect(rejection.diagnostics[0].message.hasPrefix("test 2 (wrong)"))
        #expect(rejection.diagnostics[1].message.hasPrefix("test 3"))
    }

    @Test("a test whose evaluation errors is rejected at stage test")
    func erroringTestIsRejected() throws {
        let test = PredicateTest(input: try JSONValue.parse(#"{"user": {}}"#), expect: .bool(true))
        let rejection = try #require(try Self.rejection(Self.request("user.age >= 18", tests: [test])))
        #expect(rejection.diagnostics.map(\.stage) == ["test"])
        #expect(rejection.diagnostics.first?.message.contains("error") == true)
    }

    @Test("a static cost bound over the budget is rejected at stage cost")
    func costOverBudgetIsRejected() throws {
        let handler = PredicateAuthoredHandler(validator: PredicateValidator(costBudget: 1))
        let rejection = try #require(try Self.rejection(Self.request("user.age >= 18 && user.age < 65"), handler: handler))
        #expect(rejection.diagnostics.map(\.stage) == ["cost"])
        #expect(rejection.diagnostics.first?.message.contains("budget of 1") == true)
    }

    @Test("malformed payloads are rejected at stage payload", arguments: [
        ("{not json", ""),
        ("[1, 2]", ""),
        (#"{"name": "named", "declarations": {}}"#, "named"),
        (#"{"name": "1bad", "source": "true"}"#, "1bad"),
        (#"{"name": "ok", "source": "true", "tests": {"input": {}}}"#, "ok"),
        (#"{"name": "ok", "source": "true", "activate": "yes"}"#, "ok"),
    ])
    func malformedPayloadIsRejected(_ payload: String, name: String) throws {
        let rejection = try #require(try Self.rejection(payload))
        #expect(rejection.name == name)
        #expect(rejection.diagnostics.map(\.stage) == ["payload"])
        #expect(rejection.diagnostics.first?.message.isEmpty == false)
    }

    @Test("deep nesting within the parser's limit is handled without crashing")
    func deepNestingWithinLimit() throws {
        let source = String(repeating: "(", count: 200) + "user.age" + String(repeating: ")", count: 200) + " >= 18"
        let effect = try PredicateAuthoredHandler().handle(Self.event(Self.request(source)))
        guard case .publish(let new) = effect else {
            Issue.record("expected a publication, got \(effect)")
            return
        }
        #expect(try Program(bytes: new.bytecode).evaluate(json: Array(#"{"user": {"age": 40}}"#.utf8)).result.get() == .bool(true))
    }

    static func deepSource(_ shape: String, depth: Int = 5_000) -> String {
        switch shape {
        case "parentheses": return String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + " == 1"
        case "lists": return String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + " == []"
        case "negations": return String(repeating: "!", count: depth) + "true"
        case "minus signs": return String(repeating: "-", count: depth) + "1 == 1"
        case "additions": return Array(repeating: "1", count: depth).joined(separator: " + ") + " > 0"
        case "conjunctions": return Array(repeating: "user.age > 1", count: depth).joined(separator: " && ")
        case "member chain": return "user" + String(repeating: ".a", count: depth) + " == 1"
        default: return shape
        }
    }

    @Test("deep nesting past the parser's limit is rejected or handled, never a crash", arguments: [
        "parentheses", "lists", "negations", "minus signs", "additions", "conjunctions", "member chain",
    ])
    func deepNestingPastLimit(_ shape: String) throws {
        let effect = try PredicateAuthoredHandler().handle(Self.event(Self.request(Self.deepSource(shape))))
        if case .reject(let rejection) = effect {
            #expect(!rejection.diagnostics.isEmpty)
        }
    }

    // Fails if a payload over the memory budget were decoded (the injected validation
    // would run) or rejected without saying why.
    @Test("a payload over the memory budget is rejected before it is decoded")
    func payloadOverBudgetIsRejected() throws {
        let handler = PredicateAuthoredHandler(maxPayloadBytes: 64, validation: { _, _, _ in
            Issue.record("a payload over budget was validated")
            return .rejected([])
        })
        let payload = Self.request("user.age >= 18 && user.age < 1000000000000")
        #expect(payload.utf8.count > 64)
        let rejection = try #require(try Self.rejection(payload, handler: handler))
        #expect(rejection.diagnostics.map(\.stage) == ["budget"])
        #expect(rejection.diagnostics.first?.message.contains("over the validation memory budget of 64 bytes") == true)
    }

    // Fails if a validation over its time budget were a failed attempt (retried, then dead)
    // instead of the author's rejection, or lost the predicate's name.
    @Test("a validation over its time budget becomes a rejection naming the predicate and the budget")
    func overBudgetIsARejection() throws {
        let tests = [try Self.test(age: 20, expect: true), try Self.test(age: 9, expect: false)]
        let effect = PredicateAuthoredHandler().effect(overBudget: Self.event(Self.request("user.age >= 18", tests: tests)),
                                                       budget: .milliseconds(2500))
        guard case .reject(let rejection)? = effect else {
            Issue.record("expected a rejection, got \(String(describing: effect))")
            return
        }
        #expect(rejection.name == "subject" && rejection.source == "user.age >= 18")
        #expect(rejection.diagnostics.map(\.stage) == ["budget"])
        #expect(rejection.diagnostics.first?.message.contains("within its time budget of 2.5 s") == true)
        #expect(rejection.diagnostics.first?.message.contains("2 attached tests") == true)
    }
}
