import Spectral
import Testing

/// Two-variable comprehensions, `cel.bind`, `cel.block` and `base64`, end to end:
/// parsed, checked, compiled, verified and run.
@Suite struct ComprehensionsExtensionTests {
    static let variables: [String: CELType] = ["l": .list(.int), "m": .map(.string, .int)]

    func run(_ source: String, _ bindings: [String: CELValue] = [:], limits: Limits = Limits(),
             typeCheck: Bool = true) throws -> Evaluation {
        let env = Environment(variables: Self.variables, limits: limits, typeCheck: typeCheck)
        return try compile(source, in: env).evaluate(bindings)
    }

    func value(_ source: String, _ bindings: [String: CELValue] = [:]) throws -> CELValue? {
        let checked = try run(source, bindings).result
        // Unchecked compilation must agree.
        #expect(try run(source, bindings, typeCheck: false).result == checked, "unchecked \(source)")
        return try? checked.get()
    }

    func error(_ source: String, _ bindings: [String: CELValue] = [:]) throws -> String? {
        guard case .failure(.evaluation(let message)) = try run(source, bindings).result else { return nil }
        return message
    }

    static let list: CELValue = .list([.int(10), .int(20), .int(30)])
    static let map: CELValue = .map([(.string("a"), .int(1)), (.string("b"), .int(2))])

    @Test func quantifiers() throws {
        #expect(try value("l.all(i, v, v == (i + 1) * 10)", ["l": Self.list]) == .bool(true))
        #expect(try value("l.exists(i, v, i == 2 && v == 30)", ["l": Self.list]) == .bool(true))
        #expect(try value("l.existsOne(i, v, v > 15)", ["l": Self.list]) == .bool(false))
        #expect(try value("m.exists_one(k, v, k == 'b' && v == 2)", ["m": Self.map]) == .bool(true))
        #expect(try value("m.all(k, v, v > 1)", ["m": Self.map]) == .bool(false))
        #expect(try value("l.existsOne(x, x == 20)", ["l": Self.list]) == .bool(true))
    }

    @Test func transforms() throws {
        #expect(try value("l.transformList(i, v, i * v)", ["l": Self.list])
                == .list([.int(0), .int(20), .int(60)]))
        #expect(try value("l.transformList(i, v, i > 0, v)", ["l": Self.list]) == .list([.int(20), .int(30)]))
        #expect(try value("m.transformMap(k, v, v * 2)", ["m": Self.map])
                == .map([(.string("a"), .int(2)), (.string("b"), .int(4))]))
        #expect(try value("m.transformMap(k, v, v > 1, k)", ["m": Self.map])
                == .map([(.string("b"), .string("b"))]))
        #expect(try value("m.transformMapEntry(k, v, {v: k})", ["m": Self.map])
                == .map([(.int(1), .string("a")), (.int(2), .string("b"))]))
        #expect(try value("l.transformMapEntry(i, v, i != 1, {'k' + string(i): v})", ["l": Self.list])
                == .map([(.string("k0"), .int(10)), (.string("k2"), .int(30))]))
        // A list transformed into a map: the index is the key.
        #expect(try value("l.transformMap(i, v, v)", ["l": Self.list])
                == .map([(.int(0), .int(10)), (.int(1), .int(20)), (.int(2), .int(30))]))
    }

    @Test func transformMapEntryRejectsDuplicateKeys() throws {
        let message = try error("m.transformMapEntry(k, v, {'same': v})", ["m": Self.map])
        #expect(message?.contains("already exists") == true)
    }

    @Test func checkedTypes() throws {
        let env = Environment(variables: Self.variables)
        #expect(try compile("l.transformList(i, v, i)", in: env).resultType == .list(.int))
        #expect(try compile("m.transformMap(k, v, v > 0)", in: env).resultType == .map(.string, .bool))
        #expect(try compile("l.all(i, v, v > 0)", in: env).resultType == .bool)
        #expect(throws: CompileFailure.self) { try compile("l.all(i, v, i + 'a' == v)", in: env) }
        #expect(throws: CompileFailure.self) { try compile("m.transformMapEntry(k, v, v)", in: env) }
    }

    @Test func fuelIsChargedPerIteration() throws {
        let small = try run("l.transformList(i, v, i + v).size()", ["l": .list((0..<10).map { .int($0) })])
        let large = try run("l.transformList(i, v, i + v).size()", ["l": .list((0..<100).map { .int($0) })])
        #expect(small.result == .success(.int(10)))
        #expect(large.result == .success(.int(100)))
        #expect(large.fuelUsed > small.fuelUsed + 90 * 3)
        let starved = try run("l.all(i, v, i >= 0)", ["l": .list((0..<1000).map { .int($0) })],
                              limits: Limits(fuel: 500))
        #expect(starved.result == .failure(.fuelExhausted(limit: 500)))
    }

    @Test func transformMapInsertsInPlace() throws {
        // Copying the map on every step would be quadratic and exceed the memory limit.
        let n = 5000
        let evaluation = try run("l.transformMap(i, v, v * 2).size()", ["l": .list((0..<n).map { .int(Int64($0)) })])
        #expect(evaluation.result == .success(.int(Int64(n))))
        #expect(try value("l.transformMap(i, v, v * 2)[2]", ["l": Self.list]) == .int(60))
    }

    @Test func bind() throws {
        #expect(try value("cel.bind(x, l.size(), x * x)", ["l": Self.list]) == .int(9))
        #expect(try value("cel.bind(a, 'x', cel.bind(b, a + 'y', b + a))") == .string("xyx"))
        // The bound name shadows a declared variable.
        #expect(try value("cel.bind(l, [1], l.size())", ["l": Self.list]) == .int(1))
    }

    @Test func block() throws {
        #expect(try value("cel.block([l.size(), cel.index(0) * 2], cel.index(1) + cel.index(0))", ["l": Self.list])
                == .int(9))
        #expect(try value("cel.block([l], cel.index(0).map(cel.iterVar(0, 0), cel.iterVar(0, 0) + 1))", ["l": Self.list])
                == .list([.int(11), .int(21), .int(31)]))
        // A slot may refer only to earlier slots.
        let env = Environment(variables: Self.variables)
        #expect(throws: CompileFailure.self) { try compile("cel.block([cel.index(1), 1], cel.index(0))", in: env) }
        #expect(throws: CompileFailure.self) { try compile("cel.index(0)", in: env) }
    }

    @Test func base64() throws {
        #expect(try value("base64.encode(b'hello')") == .string("aGVsbG8="))
        #expect(try value("base64.encode(b'')") == .string(""))
        #expect(try value("base64.encode(b'\\xff\\xfe')") == .string("//4="))
        #expect(try value("base64.decode('aGVsbG8=')") == .bytes(Array("hello".utf8)))
        #expect(try value("base64.decode('aGVsbG8')") == .bytes(Array("hello".utf8)))
        #expect(try value("base64.decode('aGk=')") == .bytes(Array("hi".utf8)))
        #expect(try error("base64.decode('a')") != nil)
        #expect(try error("base64.decode('aGVsbG8*')") != nil)
        #expect(try error("base64.decode('aG=k')") != nil)
    }
}
