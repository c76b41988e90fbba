import Spectral
import Testing

/// Table-driven, end-to-end evaluation: source → parse → check → compile → verify → run.
@Suite struct SemanticsTests {
    static let arithmeticCases: [EvalCase] = [
        ok("1 + 2 * 3", .int(7)),
        ok("7 / 2", .int(3)),
        ok("-7 / 2", .int(-3)),
        ok("7 % 3", .int(1)),
        ok("-7 % 3", .int(-1)),
        ok("7u / 2u", .uint(3)),
        ok("7u % 4u", .uint(3)),
        ok("1.5 + 2.5", .double(4.0)),
        ok("1.0 / 0.0", .double(.infinity)),
        ok("-1.0 / 0.0", .double(-.infinity)),
        ok("0.0 / 0.0", .double(.nan)),
        ok("-9223372036854775808", .int(.min)),
        ok("-9223372036854775807 - 1", .int(.min)),
        ok("9223372036854775807", .int(.max)),
        ok("18446744073709551615u", .uint(.max)),
        fails("9223372036854775807 + 1", "overflow"),
        fails("-9223372036854775808 - 1", "overflow"),
        fails("-9223372036854775808 / -1", "overflow"),
        fails("-9223372036854775808 % -1", "overflow"),
        fails("-(-9223372036854775808)", "overflow"),
        fails("9223372036854775807 * 2", "overflow"),
        fails("1 / 0", "division by zero"),
        fails("1 % 0", "modulus by zero"),
        fails("1u / 0u", "division by zero"),
        fails("18446744073709551615u + 1u", "overflow"),
        fails("0u - 1u", "overflow"),
        fails("9223372036854775807 + 1", "overflow", typeCheck: false),
        fails("1 / 0", "division by zero", typeCheck: false),
        // Inputs: the JSON numbers come in as int.
        ok("user.age + 1", .int(37)),
        ok("user.score * 2.0", .double(19.0)),
        fails("user.age + 1.0", "no such overload"),
    ]

    static let conversionsCases: [EvalCase] = [
        ok("int('42')", .int(42)),
        ok("int('-42')", .int(-42)),
        ok("int(-1.5)", .int(-1)),
        ok("int(2.9)", .int(2)),
        ok("int(42u)", .int(42)),
        ok("uint(1.5)", .uint(1)),
        ok("uint('18446744073709551615')", .uint(.max)),
        ok("double('1.5')", .double(1.5)),
        ok("double(1u)", .double(1)),
        ok("double(-3)", .double(-3)),
        ok("string(1.5)", .string("1.5")),
        ok("string(0.1)", .string("0.1")),
        ok("string(-42)", .string("-42")),
        ok("string(1u)", .string("1")),
        ok("string(true)", .string("true")),
        ok("string(b'abc')", .string("abc")),
        ok("bytes('abc')", .bytes(Array("abc".utf8))),
        ok("bool('true')", .bool(true)),
        ok("int(timestamp('2024-01-01T00:00:00Z'))", .int(1_704_067_200)),
        fails("int(1e300)", "out of int range"),
        fails("int(-1e300)", "out of int range"),
        fails("int(9.3e18)", "out of int range"),
        fails("int('x')", "cannot convert"),
        fails("int('9223372036854775808')", "cannot convert"),
        fails("int('0x10')"),
        fails("int(' 1')"),
        fails("uint(-1)", "out of uint range"),
        fails("uint('-1')"),
        fails("uint(9223372036854775807 - 9223372036854775807 - 1)", "out of uint range"),
        fails("int(18446744073709551615u)", "overflow"),
        fails("double('abc')", "cannot convert"),
        fails("string(b'\\xff')", "UTF-8"),
        fails("bool('yes')", "cannot convert"),
        fails("int(user.name)", "cannot convert"),
    ]

    static let equalityAndOrderingCases: [EvalCase] = [
        ok("1 == 1.0", .bool(true), typeCheck: false),
        ok("1 == 1u", .bool(true), typeCheck: false),
        ok("1u == 1.0", .bool(true), typeCheck: false),
        ok("1 != 1.5", .bool(true), typeCheck: false),
        ok("[1, 2] == [1.0, 2u]", .bool(true), typeCheck: false),
        ok("{'a': 1} == {'a': 1.0}", .bool(true), typeCheck: false),
        ok("1 == 'a'", .bool(false), typeCheck: false),
        ok("null == 0", .bool(false), typeCheck: false),
        ok("dyn(1) == 1.0", .bool(true)),
        ok("dyn(1) == 1u", .bool(true)),
        ok("1 < 1.5", .bool(true)),
        ok("2 > 1.5", .bool(true)),
        ok("1.5 < 2", .bool(true)),
        ok("2u > 1.5", .bool(true)),
        ok("2u < 1", .bool(false)),
        ok("-1 < 0u", .bool(true)),
        ok("9223372036854775807 < 18446744073709551615u", .bool(true)),
        ok("'a' < 'b'", .bool(true)),
        ok("'a' < 'aa'", .bool(true)),
        ok("b'a' < b'b'", .bool(true)),
        ok("false < true", .bool(true)),
        ok("null == null", .bool(true)),
        ok("[1, 'a'] == [1, 'a']", .bool(true)),
        ok("{'a': 1, 'b': 2} == {'b': 2, 'a': 1}", .bool(true)),
        ok("user.age == 36", .bool(true)),
        ok("user.age == 36.0", .bool(true), typeCheck: false),
        ok("user.age > 18 && user.active", .bool(true)),
        ok("0.0 / 0.0 == 0.0 / 0.0", .bool(false)),
        ok("0.0 / 0.0 != 0.0 / 0.0", .bool(true)),
        ok("1 < 0.0 / 0.0", .bool(false)),
        fails("1 < 'a'", "no such overload", typeCheck: false),
    ]

    static let membershipAndIndexingCases: [EvalCase] = [
        ok("2 in [1, 2, 3]", .bool(true)),
        ok("5 in [1, 2, 3]", .bool(false)),
        ok("'admin' in user.tags", .bool(true)),
        ok("'root' in user.tags", .bool(false)),
        ok("'name' in user", .bool(true)),
        ok("'email' in user", .bool(false)),
        ok("1 in {1: 'a'}", .bool(true)),
        ok("2.0 in [1, 2]", .bool(true), typeCheck: false),
        ok("2u in {2: 'x'}", .bool(true), typeCheck: false),
        ok("[1, 2, 3][1]", .int(2)),
        ok("items[4]", .int(5)),
        ok("{'a': 1}['a']", .int(1)),
        ok("{1: 'one'}[1]", .string("one")),
        ok("[1, 2, 3][1u]", .int(2), typeCheck: false),
        ok("[1, 2, 3][1.0]", .int(2), typeCheck: false),
        ok("{1: 'one'}[1u]", .string("one"), typeCheck: false),
        ok("{1: 'one'}[1.0]", .string("one"), typeCheck: false),
        fails("[1][5]", "index out of bounds"),
        fails("[1][-1]", "index out of bounds"),
        fails("items[5]", "index out of bounds"),
        fails("{'a': 1}['b']", "no such key"),
        fails("user['email']", "no such key"),
        fails("[1, 2][1.5]", "", typeCheck: false),
        ok("[1, 2] + [3]", .list([.int(1), .int(2), .int(3)])),
        ok("size(items)", .int(5)),
        ok("size(user)", .int(6)),
    ]

    static let selectionCases: [EvalCase] = [
        ok("user.name", .string("Ada")),
        ok("user.address.city", .string("Paris")),
        ok("user.address.zip", .null),
        ok("{'a': {'b': 1}}.a.b", .int(1)),
        fails("user.email", "no such key"),
        fails("user.address.street", "no such key"),
        fails("user.name.first", "", typeCheck: false),
        ok("has(user.name)", .bool(true)),
        ok("has(user.email)", .bool(false)),
        ok("has(user.address.zip)", .bool(true)),
        ok("has(user.address.street)", .bool(false)),
        ok("has({'a': 1}.a)", .bool(true)),
        ok("has({'a': 1}.b)", .bool(false)),
        fails("has(user.email.x)", "no such key"),
        ok("has(user.email) ? user.email : 'none'", .string("none")),
    ]

    static let logicCases: [EvalCase] = [
        ok("true ? 1 : 2", .int(1)),
        ok("false ? 1 : 2", .int(2)),
        fails("(1 / 0 > 0) ? 1 : 2", "division by zero"),
        ok("true ? 1 : 1 / 0", .int(1)),
        ok("false ? 1 / 0 : 2", .int(2)),
        ok("(1 / 0 > 0) || true", .bool(true)),
        ok("true || (1 / 0 > 0)", .bool(true)),
        ok("false && (1 / 0 > 0)", .bool(false)),
        ok("(1 / 0 > 0) && false", .bool(false)),
        fails("(1 / 0 > 0) && true", "division by zero"),
        fails("true && (1 / 0 > 0)", "division by zero"),
        fails("(1 / 0 > 0) || false", "division by zero"),
        fails("false || (1 / 0 > 0)", "division by zero"),
        ok("(user.email == 'x') || user.age > 18", .bool(true)),
        ok("user.age < 18 && user.email == 'x'", .bool(false)),
        fails("user.email == 'x' && user.age > 18", "no such key"),
        ok("!false", .bool(true)),
        ok("!(1 > 2) && !false", .bool(true)),
        ok("(1 / 0 > 0) || (2 / 0 > 0) || true", .bool(true)),
        fails("(1 / 0 > 0) || (2 / 0 > 0)", "division by zero"),
        ok("'a' || true", .bool(true), typeCheck: false),
        ok("false && 'a'", .bool(false), typeCheck: false),
        fails("'a' && true", "", typeCheck: false),
    ]

    static let macrosCases: [EvalCase] = [
        ok("[1, 2, 3].all(x, x > 0)", .bool(true)),
        ok("[1, 2, 3].all(x, x > 1)", .bool(false)),
        ok("[].all(x, x > 0)", .bool(true)),
        ok("[1, 2, 3].exists(x, x > 2)", .bool(true)),
        ok("[].exists(x, x > 0)", .bool(false)),
        ok("[0, 1, 2].exists_one(x, x == 1)", .bool(true)),
        ok("[1, 2, 3].exists_one(x, x > 1)", .bool(false)),
        ok("[1, 2, 3].exists_one(x, x > 5)", .bool(false)),
        ok("[1, 2, 3].map(x, x * 2)", .list([.int(2), .int(4), .int(6)])),
        ok("[1, 2, 3].map(x, x > 1, x * 2)", .list([.int(4), .int(6)])),
        ok("[1, 2, 3].filter(x, x % 2 == 1)", .list([.int(1), .int(3)])),
        ok("[1, 2, 3].filter(x, x > 1).map(x, x * 10)", .list([.int(20), .int(30)])),
        ok("[[1, 2], [3]].map(l, l.map(x, x + 1))", .list([.list([.int(2), .int(3)]), .list([.int(4)])])),
        ok("[1, 2].map(x, [10, 20].map(y, x * y))", .list([.list([.int(10), .int(20)]), .list([.int(20), .int(40)])])),
        ok("[1, 2, 3].all(x, [1, 2, 3].exists(y, y == x))", .bool(true)),
        ok("[1, 2].exists(x, [3, 4].exists(x, x == 4))", .bool(true)), // shadowing
        ok("[1, 2].map(x, [x].map(x, x + 1)[0] + x)", .list([.int(3), .int(5)])),
        ok("{'a': 1, 'b': 2}.all(k, k != 'c')", .bool(true)),
        ok("{'a': 1, 'b': 2}.exists(k, k == 'b')", .bool(true)),
        ok("{'a': 1, 'b': 2}.filter(k, k == 'b')", .list([.string("b")])),
        ok("items.filter(i, i == 1).size()", .int(2)),
        ok("items.map(i, i * i)", .list([.int(9), .int(1), .int(16), .int(1), .int(25)])),
        ok("items.exists_one(i, i == 4)", .bool(true)),
        ok("user.tags.exists(t, t.startsWith('ad'))", .bool(true)),
        ok("user.tags.all(t, size(t) == 3 || t == 'admin')", .bool(true)),
        // Errors inside macros are absorbed like && / ||.
        ok("[1, 2, 3].all(x, 1 / (x - 2) > 0)", .bool(false)),
        ok("[1, 2, 3].exists(x, 1 / (x - 2) > 0)", .bool(true)),
        fails("[0].exists(x, 1 / x > 0)", "division by zero"),
        fails("[0].all(x, 1 / x > 0)", "division by zero"),
        fails("[0, 1].map(x, 1 / x)", "division by zero"),
        fails("[0, 1].filter(x, 1 / x > 0)", "division by zero"),
        fails("[1, 0].exists_one(x, 1 / x > 0)", "division by zero"),
    ]

    static let stringsCases: [EvalCase] = [
        ok("size('héllo') == 5", .bool(true)),
        ok("size('héllo')", .int(5)),
        ok("'héllo'.size()", .int(5)),
        ok("size('日本語')", .int(3)),
        ok("size('🙂')", .int(1)),
        ok("size(text)", .int(11)),
        ok("size(b'\\xff\\xfe')", .int(2)),
        ok("size('')", .int(0)),
        ok("'ab' + 'cd'", .string("abcd")),
        ok("'abc'.startsWith('a')", .bool(true)),
        ok("'abc'.endsWith('bc')", .bool(true)),
        ok("'abc'.contains('b')", .bool(true)),
        ok("'abc'.contains('')", .bool(true)),
        ok("text.contains('wö')", .bool(true)),
        ok("'abc'.matches('^a.c$')", .bool(true)),
        ok("'abc'.matches('b')", .bool(true)), // unanchored search
        ok("'abc'.matches('^b')", .bool(false)),
        ok("'héllo'.matches('^h.llo$')", .bool(true)), // '.' matches one code point
        ok("matches('abc', 'a+')", .bool(true)),
        ok("user.name.matches(pattern)", .bool(true)),
        ok("'ada'.matches(pattern)", .bool(false)),
        ok("user.tags.exists(t, t.matches('^d' + 'e' + 'v$'))", .bool(true)),
        ok("'x1y22'.matches('[0-9]{2}')", .bool(true)),
        ok("'a\\nb'.matches('a.b')", .bool(false)),
        ok("'a\\u00e9'.matches('\\\\x{e9}')", .bool(true)),
        fails("'abc'.matches(user.name + '[')", "", typeCheck: true),
        ok("'a' + \"b\" + '''c''' + r'\\d'", .string("abc\\d")),
    ]

    static let timeCases: [EvalCase] = [
        ok("timestamp('2024-01-01T00:00:00Z') + duration('1h')", .timestamp(seconds: 1_704_070_800, nanos: 0)),
        ok("timestamp('2024-01-01T00:00:00Z') + duration('1h') == timestamp('2024-01-01T01:00:00Z')", .bool(true)),
        ok("duration('1h') + timestamp('2024-01-01T00:00:00Z')", .timestamp(seconds: 1_704_070_800, nanos: 0)),
        ok("timestamp('2024-01-01T00:00:00Z') - duration('1s')", .timestamp(seconds: 1_704_067_199, nanos: 0)),
        ok("timestamp('2024-01-01T00:00:00Z') - timestamp('2023-12-31T00:00:00Z')", .duration(seconds: 86_400, nanos: 0)),
        ok("timestamp('2024-01-01T00:00:00Z').getHours('America/Los_Angeles')", .int(16)),
        ok("timestamp('2024-07-01T12:00:00Z').getHours('America/Los_Angeles')", .int(5)),
        ok("timestamp('2024-01-01T00:00:00Z').getDate('America/Los_Angeles')", .int(31)),
        ok("timestamp('2024-01-01T00:00:00Z').getHours('+05:30')", .int(5)),
        ok("timestamp('2024-01-01T00:00:00Z').getMinutes('+05:30')", .int(30)),
        ok("timestamp('2024-12-31T20:00:00Z').getFullYear('Asia/Tokyo')", .int(2025)),
        ok("timestamp('2024-01-01T00:00:00Z').getHours()", .int(0)),
        ok("timestamp('2024-03-10T10:00:00Z').getDayOfWeek()", .int(0)),
        ok("timestamp('2024-03-10T10:00:00Z').getDayOfYear()", .int(69)),
        ok("timestamp('2024-03-10T10:00:00Z').getMonth()", .int(2)),
        ok("timestamp('2024-03-10T10:00:00Z').getDayOfMonth()", .int(9)),
        ok("timestamp('2024-03-10T10:00:00Z').getDate()", .int(10)),
        ok("duration('1h30m').getMinutes()", .int(90)),
        ok("duration('1h30m').getHours()", .int(1)),
        ok("duration('1h30m').getSeconds()", .int(5400)),
        ok("duration('1.5s').getMilliseconds()", .int(500)),
        ok("duration('-1h')", .duration(seconds: -3600, nanos: 0)),
        ok("duration('1h') + duration('30m') == duration('90m')", .bool(true)),
        ok("duration('1h') > duration('59m')", .bool(true)),
        ok("timestamp('2024-01-01T00:00:00Z') < timestamp('2024-01-02T00:00:00Z')", .bool(true)),
        ok("string(timestamp('2024-01-01T00:00:00.5Z'))", .string("2024-01-01T00:00:00.5Z")),
        ok("string(duration('1.5s'))", .string("1.5s")),
        ok("timestamp('2024-01-01T02:00:00+02:00') == timestamp('2024-01-01T00:00:00Z')", .bool(true)),
        fails("timestamp('9999-12-31T23:59:59Z') + duration('1s')", "out of range"),
        fails("timestamp('0001-01-01T00:00:00Z') - duration('1s')", "out of range"),
        fails("timestamp('not a time')"),
        fails("duration('1x')"),
        fails("timestamp('2024-01-01T00:00:00Z').getHours('Mars/Olympus')"),
    ]

    static let typesCases: [EvalCase] = [
        ok("type(1) == int", .bool(true)),
        ok("type(1u) == uint", .bool(true)),
        ok("type(1.0) == double", .bool(true)),
        ok("type('a') == string", .bool(true)),
        ok("type(b'a') == bytes", .bool(true)),
        ok("type(true) == bool", .bool(true)),
        ok("type(null) == null_type", .bool(true)),
        ok("type([1]) == list", .bool(true)),
        ok("type({}) == map", .bool(true)),
        ok("type(type(1)) == type", .bool(true)),
        ok("type(duration('1s')) == google.protobuf.Duration", .bool(true)),
        ok("type(timestamp('2024-01-01T00:00:00Z')) == google.protobuf.Timestamp", .bool(true)),
        ok("type(1) == uint", .bool(false)),
        ok("type(user.age) == int", .bool(true)),
        ok("type(user.score) == double", .bool(true)),
        ok("type(user.tags) == list", .bool(true)),
        ok("type(1)", .type("int")),
        ok("type(1) != type(1u)", .bool(true)),
    ]

    @Test(arguments: arithmeticCases) func arithmetic(_ c: EvalCase) throws { try run(c) }
    @Test(arguments: conversionsCases) func conversions(_ c: EvalCase) throws { try run(c) }
    @Test(arguments: equalityAndOrderingCases) func equalityAndOrdering(_ c: EvalCase) throws { try run(c) }
    @Test(arguments: membershipAndIndexingCases) func membershipAndIndexing(_ c: EvalCase) throws { try run(c) }
    @Test(arguments: selectionCases) func selection(_ c: EvalCase) throws { try run(c) }
    @Test(arguments: logicCases) func logic(_ c: EvalCase) throws { try run(c) }
    @Test(arguments: macrosCases) func macros(_ c: EvalCase) throws { try run(c) }
    @Test(arguments: stringsCases) func strings(_ c: EvalCase) throws { try run(c) }
    @Test(arguments: timeCases) func time(_ c: EvalCase) throws { try run(c) }
    @Test(arguments: typesCases) func types(_ c: EvalCase) throws { try run(c) }

    /// Every checked row must give the same outcome unchecked (checking only rejects, never changes results).
    @Test(arguments: arithmeticCases + conversionsCases + equalityAndOrderingCases + membershipAndIndexingCases
        + selectionCases + logicCases + macrosCases + stringsCases + timeCases + typesCases)
    func uncheckedAgrees(_ c: EvalCase) throws {
        guard c.typeCheck else { return }
        let evaluation = try evaluateSample(c.source, typeCheck: false)
        expectOutcome(evaluation.result, c.outcome, "unchecked \(c.source)")
    }

    private func run(_ c: EvalCase) throws {
        let evaluation = try evaluateSample(c.source, typeCheck: c.typeCheck)
        expectOutcome(evaluation.result, c.outcome, c.source)
    }

    @Test func checkedResultTypes() throws {
        let env = Environment(variables: sampleDeclarations)
        #expect(try compile("user.age >= 18", in: env).resultType == .bool)
        #expect(try compile("items.map(i, i * 2)", in: env).resultType == .list(.int))
        #expect(try compile("user.age", in: env).resultType == .dyn)
        #expect(try compile("duration('1h')", in: env).resultType == .duration)
    }

    @Test func dynamicPatternCompiledOncePerEvaluation() throws {
        let env = Environment(variables: ["s": .string, "p": .string])
        let program = try compile("s.matches(p)", in: env)
        #expect(try program.evaluate(["s": .string("abc"), "p": .string("^a")]).result.get() == .bool(true))
        #expect(try program.evaluate(["s": .string("abc"), "p": .string("^b")]).result.get() == .bool(false))
        guard case .failure(.evaluation) = program.evaluate(["s": .string("abc"), "p": .string("(")]).result else {
            Issue.record("an invalid dynamic pattern must be an evaluation error")
            return
        }
    }

    @Test func missingBindingIsAnError() throws {
        let env = Environment(variables: ["x": .int])
        let program = try compile("x + 1", in: env)
        guard case .failure(.evaluation) = program.evaluate([:]).result else {
            Issue.record("evaluating with an unbound declared variable must fail")
            return
        }
    }
}

extension SemanticsTests {
    /// Exponent threshold guards that hold under both Go's rule and the current one.
    @Test(arguments: [("string(100000.0)", "100000"), ("string(0.0001)", "0.0001"), ("string(0.00001)", "1e-05"),
                      ("string(1e21)", "1e+21"), ("string(-0.0)", "-0")])
    func doubleToString(_ source: String, _ expected: String) throws {
        #expect(try compile(source).evaluate().result == .success(.string(expected)))
    }
}
