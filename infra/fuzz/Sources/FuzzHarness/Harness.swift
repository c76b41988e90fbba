@_spi(Testing) import Spectral
import SpectralCompiler

/// The per-input logic of every fuzz target. The libFuzzer executables and the main
/// package's corpus replay test (Tests/SpectralTests/FuzzCorpusTests.swift) both call
/// these functions, so a fixture replays exactly what the fuzzer ran.
///
/// A finding is a crash: the engine trapping, or a broken invariant (`check`).
public enum FuzzHarness {
    public static let targets = ["source", "bytecode", "differential", "input", "fuel_time"]

    /// Runs target `name` on one input.
    public static func run(_ name: String, _ bytes: [UInt8]) {
        switch name {
        case "source": source(bytes)
        case "bytecode": bytecode(bytes)
        case "differential": differential(bytes)
        case "input": input(bytes)
        case "fuel_time": fuelTime(bytes)
        default: preconditionFailure("unknown fuzz target \(name)")
        }
    }

    /// Where broken invariants go instead of crashing (the replay test records them as issues).
    @TaskLocal public static var findingHandler: (@Sendable (String) -> Void)?

    /// A broken invariant: crash so libFuzzer records the input.
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        guard !condition() else { return }
        if let handler = findingHandler { handler(message()) } else { fatalError("fuzz invariant broken: \(message())") }
    }

    // MARK: Shared fixtures

    static let smallLimits = Limits(fuel: 20_000, memory: 1 << 20)

    /// Variables every source-level target declares.
    static let declarations: [String: CELType] = [
        "x": .int, "y": .double, "u": .uint, "s": .string, "b": .bool, "by": .bytes,
        "l": .list(.int), "ls": .list(.string), "m": .map(.string, .dyn), "d": .dyn,
        "t": .timestamp, "du": .duration,
    ]

    /// A few fixed inputs (each binds every declared variable).
    static let inputs: [[String: CELValue]] = [
        ["x": .int(0), "y": .double(0), "u": .uint(0), "s": .string(""), "b": .bool(false), "by": .bytes([]),
         "l": .list([]), "ls": .list([]), "m": .map([]), "d": .null,
         "t": .timestamp(seconds: 0, nanos: 0), "du": .duration(seconds: 0, nanos: 0)],
        ["x": .int(Int64.max), "y": .double(.nan), "u": .uint(UInt64.max), "s": .string("héllo\u{301} wörld"),
         "b": .bool(true), "by": .bytes([0, 0xFF, 0x80]),
         "l": .list([.int(1), .int(-2), .int(Int64.min)]), "ls": .list([.string("a"), .string("")]),
         "m": .map([(.string("a"), .int(1)), (.string("b"), .list([.string("x")])),
                    (.string("c"), .map([(.string("d"), .double(-0.0))]))]),
         "d": .map([(.string("k"), .bool(true))]),
         "t": .timestamp(seconds: 253_402_300_799, nanos: 999_999_999), "du": .duration(seconds: -315_576_000_000, nanos: 0)],
        ["x": .int(-7), "y": .double(.infinity), "u": .uint(3), "s": .string("a.b*c"), "b": .bool(false),
         "by": .bytes(Array("abc".utf8)), "l": .list((0..<20).map { .int($0) }),
         "ls": .list([.string("x"), .string("y"), .string("x")]), "m": .map([(.string(""), .null)]),
         "d": .list([.int(1), .double(1.5), .string("z")]),
         "t": .timestamp(seconds: -62_135_596_800, nanos: 0), "du": .duration(seconds: 1, nanos: 500_000_000)],
    ]

    /// Evaluation results must be equal up to error messages (resource traps match by kind).
    static func sameOutcome(_ a: Result<CELValue, EvaluationError>, _ b: Result<CELValue, EvaluationError>) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)): return x == y
        case (.failure(let x), .failure(let y)):
            switch (x, y) {
            case (.evaluation, .evaluation), (.input, .input), (.fuelExhausted, .fuelExhausted),
                 (.memoryExhausted, .memoryExhausted): return true
            default: return false
            }
        default: return false
        }
    }

    /// Evaluates and checks what holds for every evaluation: fuel within the limit, and for
    /// a program the compiler made (`compiled`, not a mutated module, whose bound is any
    /// number) on input of its declared types, within its static cost bound where known.
    @discardableResult
    static func evaluate(_ program: Program, _ input: [String: CELValue], compiled: Bool = true) -> Evaluation {
        let evaluation = program.evaluate(input)
        check(evaluation.fuelUsed <= program.limits.fuel, "fuel used \(evaluation.fuelUsed) > limit \(program.limits.fuel)")
        if compiled { checkBound(program, evaluation) }
        if case .success(let value) = evaluation.result { _ = value.description }
        return evaluation
    }

    /// The static cost bound, where known, bounds the fuel an evaluation uses.
    static func checkBound(_ program: Program, _ evaluation: Evaluation) {
        let bound = program.module.costBound
        check(bound == .max || evaluation.fuelUsed <= bound, "fuel used \(evaluation.fuelUsed) > static bound \(bound)")
    }

    // MARK: source

    /// Arbitrary bytes as predicate source: parse, check, compile, verify, evaluate under a
    /// small fuel limit on the fixed inputs. The first byte picks checked or unchecked
    /// compilation; the compiled module must survive an encode/decode round trip and
    /// evaluate the same after it.
    public static func source(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        let environment = Environment(variables: declarations, limits: smallLimits, typeCheck: mode & 1 == 0)
        let program: Program
        do {
            program = try compile(text, in: environment)
        } catch {
            _ = error.rendered()
            return
        }
        let reloaded: Program
        do {
            reloaded = try Program(bytes: program.encoded, limits: smallLimits)
        } catch {
            check(false, "compiled module does not reload: \(error)")
            return
        }
        check(reloaded.module == program.module, "module changed in an encode/decode round trip")
        for input in inputs {
            let first = evaluate(program, input)
            if case .success(let value) = first.result {
                check(fits(value, program.resultType), "result \(value) does not have the checked type \(program.resultType)")
            }
            if mode & 2 != 0 {
                let second = evaluate(reloaded, input)
                check(sameOutcome(first.result, second.result), "reloaded module evaluates differently: \(first.result) vs \(second.result)")
            }
        }
    }

    /// Whether a value has the (outermost) kind of a checked type.
    static func fits(_ value: CELValue, _ type: CELType) -> Bool {
        switch (type, value) {
        case (.bool, .bool), (.int, .int), (.uint, .uint), (.double, .double), (.string, .string),
             (.bytes, .bytes), (.list, .list), (.map, .map), (.timestamp, .timestamp), (.duration, .duration),
             (.null, .null), (.type, .type): return true
        case (.bool, _), (.int, _), (.uint, _), (.double, _), (.string, _), (.bytes, _), (.list, _), (.map, _),
             (.timestamp, _), (.duration, _): return false
        default: return true
        }
    }

    // MARK: bytecode

    /// Predicates whose modules seed the bytecode mutations.
    static let seedPredicates: [String] = [
        "x + 1 > 2 && s.startsWith('a')",
        "l.all(i, i > 0) || l.exists(i, i == x)",
        "l.map(i, i * 2).filter(j, j % 3 == 0).size() == 2",
        "m.a == 1 ? ls[0] : s + 'x'",
        "has(m.b) && 'x' in m.b",
        "s.matches('^a+b*$') || size(by) > 2",
        "[1, 2.0, 'three', {'k': [u]}] == d",
        "t + du < timestamp('2030-01-01T00:00:00Z') && du > duration('1s')",
        "l.exists_one(i, i < 0) && y != y",
        "{'a': x, 'b': y}.map(k, k + s)",
        "int(y) + x / 0 - x % 2",
        "string(x) + string(u) + string(y) + string(b)",
        // Optionals, two-variable comprehensions, bindings, blocks, encoders, network.
        "m.all(k, v, k.size() > 0 && v != null) || l.existsOne(i, v, v == i)",
        "l.transformMap(i, v, v * 2).size() + m.transformList(k, v, k).size() > x",
        "m.transformMapEntry(k, v, {k + s: v}).size() >= 0",
        "cel.bind(z, x * 2, z + z) > 3 && m.?a.orValue(1) == 1 && [?m[?'b'], x].size() > 0",
        "cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) && base64.decode(base64.encode(by)) == by",
        "cel.block([x + 1, cel.index(0) * 2], cel.index(1) > 0) && optional.of(l).optMap(q, q.size()).value() >= 0",
    ]

    public static let seedModules: [[UInt8]] = seedPredicates.map { source in
        let environment = Environment(variables: declarations, limits: smallLimits)
        do { return try compile(source, in: environment).encoded } catch { fatalError("seed predicate does not compile: \(source): \(error)") }
    }

    /// Arbitrary bytes, and mutations of valid modules: decode, verify; whatever verifies
    /// runs under fuel. First byte: bit 0 picks raw bytes or a mutated seed module.
    public static func bytecode(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        var module: [UInt8]
        if mode & 1 == 0 {
            module = Array(bytes.dropFirst())
        } else {
            // [seed index] then (position: 2 bytes, value: 1 byte) triples.
            let rest = Array(bytes.dropFirst())
            guard let pick = rest.first else { return }
            module = seedModules[Int(pick) % seedModules.count]
            var i = 1
            while i + 2 < rest.count, !module.isEmpty {
                let position = (Int(rest[i]) << 8 | Int(rest[i + 1])) % module.count
                switch mode >> 1 & 3 {
                case 0: module[position] = rest[i + 2]
                case 1: module[position] ^= rest[i + 2]
                case 2: module.insert(rest[i + 2], at: position)
                default: module.remove(at: position)
                }
                i += 3
            }
        }
        let program: Program
        do {
            program = try Program(bytes: module, limits: smallLimits)
        } catch {
            _ = error.description
            return
        }
        // Decoding is canonical enough that re-encoding decodes to the same module.
        let reencoded = program.encoded
        guard let again = try? ModuleDecoder.decode(reencoded) else {
            check(false, "re-encoded module does not decode")
            return
        }
        check(again == program.module, "decode(encode(module)) != module")
        _ = Disassembler.disassemble(program.module)
        for input in inputs { evaluate(program, input, compiled: false) }
        // Unbound variables (errors) and variables bound to unexpected kinds.
        evaluate(program, [:], compiled: false)
        var scrambled: [String: CELValue] = [:]
        let kinds = inputs[1].values.sorted { $0.description < $1.description }
        for (i, name) in program.module.variables.enumerated() { scrambled[name] = kinds[(i + Int(mode)) % kinds.count] }
        evaluate(program, scrambled, compiled: false)
    }

    // MARK: input

    /// Programs whose declared variables shape JSON binding.
    static let inputSources: [(String, [String: CELType])] = [
        ("a == b", ["a": .dyn, "b": .dyn]),
        ("x + 1 > 0 && y < 2.0 && s != '' && size(l) >= 0", ["x": .int, "y": .double, "s": .string, "l": .list(.int)]),
        ("t < timestamp('2100-01-01T00:00:00Z') && du > duration('0s')", ["t": .timestamp, "du": .duration]),
        ("m.exists(k, m[k] == u) || size(by) == 3 || b", ["m": .map(.string, .uint), "u": .uint, "by": .bytes, "b": .bool]),
        ("d.all(k, k != 'z') && string(d) != ''", ["d": .dyn]),
        ("s.contains(t) || s.startsWith(t) || s.endsWith(t) || s.matches(t)", ["s": .string, "t": .string]),
        ("nested.a.b[0].c == 1", ["nested": .map(.string, .map(.string, .list(.map(.string, .int))))]),
        // Optionals, two-variable comprehensions, bindings, encoders and network over fuzzed input.
        ("dyn(d.?a.?b.orValue(d[?0].orValue(1))) != null && [?d.?c, ?optional.ofNonZeroValue(d)].size() >= 0", ["d": .dyn]),
        ("m.transformMap(k, v, v + 1u).size() == size(m) && m.all(k, v, v >= 0u) || m.existsOne(k, v, k == s)",
         ["m": .map(.string, .uint), "s": .string]),
        ("l.transformList(i, v, v * i).size() == size(l) && cel.bind(n, size(l), n >= 0)", ["l": .list(.int)]),
        ("isIP(s) ? ip(s).family() > 0 : (isCIDR(s) ? cidr(s).containsIP(ip('10.0.0.1')) : base64.decode(s) != b'')",
         ["s": .string]),
        ("d.transformMapEntry(k, v, {string(k): v}).size() >= 0", ["d": .dyn]),
    ]

    static let inputPrograms: [Program] = {
        inputSources.map { source, variables in
            do {
                return try compile(source, in: Environment(variables: variables, limits: smallLimits))
            } catch { fatalError("input program does not compile: \(source): \(error)") }
        }
    }()

    /// Arbitrary bytes as a decide input (JSON binding), bound into each fixed program.
    /// Where both binding paths (the streaming `JSONBinder` and `JSONInput.bindings`)
    /// accept the input, the evaluations must agree.
    public static func input(_ bytes: [UInt8]) {
        for (index, program) in inputPrograms.enumerated() {
            var machine = program.makeMachine()
            let streamed = program.evaluate(json: bytes, on: &machine)
            check(streamed.fuelUsed <= program.limits.fuel, "fuel over the limit")
            // The same machine must be reusable after whatever happened.
            let again = program.evaluate(json: bytes, on: &machine)
            check(sameOutcome(streamed.result, again.result), "machine reuse changed the outcome: \(streamed.result) vs \(again.result)")
            if let bindings = try? JSONInput.bindings(bytes, declarations: inputSources[index].1) {
                if case .failure(.input) = streamed.result { continue }
                let viaValues = program.evaluate(bindings)
                check(sameOutcome(streamed.result, viaValues.result),
                      "JSON binding paths disagree on \(inputSources[index].0): \(streamed.result) vs \(viaValues.result)")
            }
        }
        // Declared by schema: the direct binder (tried first) and the general one agree,
        // on what they bind and on what they refuse (the same message, so the same 422).
        for (index, program) in schemaInputPrograms.enumerated() {
            var machine = program.makeMachine(), generalMachine = program.makeMachine()
            let direct = program.evaluate(json: bytes, on: &machine)
            let general = program.evaluate(json: bytes, on: &generalMachine, direct: false)
            check(sameOutcome(direct.result, general.result) && direct.fuelUsed == general.fuelUsed,
                  "binding ways disagree on \(schemaInputSources[index].0): \(direct.result) vs \(general.result)")
            let reused = program.evaluate(json: bytes, on: &reusedSchemaMachines[index])
            check(sameOutcome(reused.result, direct.result) && reused.fuelUsed == direct.fuelUsed,
                  "a machine that bound earlier inputs binds otherwise: \(reused.result) vs \(direct.result)")
            if case .failure(.input(let a)) = direct.result, case .failure(.input(let b)) = general.result {
                check(a == b, "binding ways word a refusal differently: \(a) vs \(b)")
            }
        }
    }

    /// Programs whose variables are declared by JSON Schema (the direct binder's way).
    static let schemaInputSources: [(String, [String: String])] = [
        ("size([o]) + size([n]) + size([a]) >= 0", [
            "o": #"{"type": "object", "required": ["i"], "properties": {"i": {"type": "integer", "minimum": -5, "maximum": 1000}, "#
                + #""d": {"type": "number", "maximum": 1e10}, "s": {"type": "string", "maxLength": 3}, "#
                + #""e": {"enum": ["x", 1, null, true]}, "t": {"type": "string", "format": "date-time"}, "#
                + #""ip": {"type": "string", "format": "ipv4"}, "q": {"type": ["boolean", "null"]}, "#
                + #""l": {"type": "array", "maxItems": 3, "items": {"type": "object", "additionalProperties": false, "#
                + #""properties": {"k": {"const": 7}}}}, "m": {"type": "object", "maxProperties": 2, "#
                + #""additionalProperties": {"type": "number"}}, "any": {}}, "additionalProperties": false}"#,
            "n": #"{"type": ["integer", "null"]}"#,
            "a": #"{"type": "object", "properties": {"x": {"type": "string"}}}"#,
        ]),
        ("o.i > 0 && o.?s.orValue('') != 'ab' || size(o.l) > 1", [
            "o": #"{"type": "object", "required": ["i", "l"], "properties": {"i": {"type": "integer"}, "#
                + #""s": {"type": "string"}, "l": {"type": "array", "items": {"type": "number"}}}}"#,
        ]),
    ]

    /// A machine for each schema program, kept from one fuzz input to the next: binding
    /// reuses a machine's stack and arrays and leaves an object's slots uncleared between
    /// inputs, so a machine that bound other inputs must bind as a fresh one does. libFuzzer
    /// runs one input at a time, on one thread.
    nonisolated(unsafe) static var reusedSchemaMachines: [Machine] = schemaInputPrograms.map { $0.makeMachine() }

    static let schemaInputPrograms: [Program] = {
        schemaInputSources.map { source, schemas in
            do {
                let declared = try schemas.mapValues { try InputDeclaration.parse($0) }
                return try compile(source, in: Environment(declared: declared, limits: smallLimits))
            } catch { fatalError("schema input program does not compile: \(source): \(error)") }
        }
    }()
}

