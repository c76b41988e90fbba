import Foundation
import Spectral
import SpectralTestSupport
import Testing

/// The `spectral` executable of this build, run as a subprocess (this target depends on
/// SpectralCLI, so building the tests builds it).
@Suite struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        get throws { URL(fileURLWithPath: try SpectralExecutable.path) }
    }

    static func spectral(_ arguments: [String]) throws -> Run {
        // Output goes to files, so a full pipe can never block the child.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
              FileManager.default.createFile(atPath: errURL.path, contents: nil)
        else { throw CocoaError(.fileWriteUnknown) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spectral-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func binaryExists() throws {
        let path = try Self.binary.path
        #expect(FileManager.default.isExecutableFile(atPath: path), "missing \(path)")
    }

    @Test func evalPrintsResult() throws {
        let run = try Self.spectral(["eval", "1 + 2"])
        #expect(run.status == 0)
        #expect(run.stdout == "3\n")
        #expect(run.stderr.isEmpty)
    }

    @Test(arguments: [
        ("'a' + 'b'", "\"ab\""),
        ("[1, 2].map(x, x * 2)", "[2,4]"),
        ("{'k': true}", "{\"k\":true}"),
        ("2u", "2"),
        ("1.5", "1.5"),
        ("null", "null"),
        ("duration('90s')", "\"90s\""),
    ])
    func evalRendersJSON(_ source: String, _ expected: String) throws {
        let run = try Self.spectral(["eval", source])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == expected + "\n")
    }

    @Test func evalErrorExitsOne() throws {
        let run = try Self.spectral(["eval", "1 / 0"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("division by zero"))
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(run.stderr)")
    }

    @Test func parseErrorExitsTwoWithCaret() throws {
        let run = try Self.spectral(["eval", "1 +"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("1:4: error:") == true, "\(run.stderr)")
        #expect(lines.count >= 3)
        if lines.count >= 3 {
            #expect(lines[1] == "1 +")
            #expect(lines[2] == "   ^")
        }
    }

    @Test func checkErrorExitsTwo() throws {
        let run = try Self.spectral(["eval", "--declare", "user=map(string, int)", "user.age.startsWith('x')"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no matching overload"))
        #expect(run.stderr.contains("^"))
    }

    @Test func fuelLimitExitsThree() throws {
        let run = try Self.spectral(["eval", "--fuel", "10", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(x, x * x).size()"])
        #expect(run.status == 3)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("fuel"))
    }

    @Test func memoryLimitExitsThree() throws {
        let run = try Self.spectral(["eval", "--memory", "4096",
                                     "[1, 2, 3, 4, 5, 6, 7, 8].map(x, 'abcdefghijklmnopqrstuvwxyz' + string(x)).map(s, s + s + s + s + s + s + s + s + s + s).size()"])
        #expect(run.status == 3, "stdout: \(run.stdout) stderr: \(run.stderr)")
        #expect(run.stderr.contains("memory"))
    }

    @Test func inputBindings() throws {
        let run = try Self.spectral(["eval", "--input", #"{"user": {"age": 20}}"#, "user.age >= 18"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == "true\n")
        let minor = try Self.spectral(["eval", "--input", #"{"user": {"age": 12}}"#, "user.age >= 18"])
        #expect(minor.stdout == "false\n")
    }

    @Test func inputFileAndDeclarations() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("input.json")
        try Data(#"{"amount": 250, "when": "2024-01-01T00:00:00Z"}"#.utf8).write(to: file)
        let run = try Self.spectral(["eval", "--input-file", file.path, "--declare", "amount=double",
                                     "--declare", "when=timestamp", "amount / 2.0 == 125.0 && when.getFullYear() == 2024"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == "true\n")
    }

    /// `--declare NAME=@FILE` reads a JSON Schema; its errors name the keyword and pointer.
    @Test func declareReadsAJSONSchemaFromAFile() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let schema = dir.appendingPathComponent("txn.json")
        try Data(#"{"type": "array", "items": {"type": "string", "maxLength": 8}}"#.utf8).write(to: schema)
        let run = try Self.spectral(["check", "--declare", "tags=@" + schema.path, "tags"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.hasPrefix("ok: list(string)"))
        // `check` prints the static cost bound, which maxItems makes finite for a comprehension.
        let unbounded = try Self.spectral(["check", "--declare", "tags=@" + schema.path, "tags.all(t, t != '')"])
        #expect(unbounded.stdout == "ok: bool, cost bound depends on input sizes\n", "stderr: \(unbounded.stderr)")
        let boundedSchema = dir.appendingPathComponent("bounded.json")
        try Data(#"{"type": "array", "maxItems": 3, "items": {"type": "string"}}"#.utf8).write(to: boundedSchema)
        let bounded = try Self.spectral(["check", "--declare", "tags=@" + boundedSchema.path, "tags.all(t, t != '')"])
        #expect(bounded.stdout.hasPrefix("ok: bool, cost bound ") && bounded.stdout.last == "\n", "stdout: \(bounded.stdout)")
        #expect(UInt64(bounded.stdout.dropFirst("ok: bool, cost bound ".count).dropLast()) != nil, "stdout: \(bounded.stdout)")
        let bad = dir.appendingPathComponent("bad.json")
        try Data(#"{"type": "string", "pattern": "x"}"#.utf8).write(to: bad)
        let refused = try Self.spectral(["check", "--declare", "s=@" + bad.path, "s == 'x'"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("unsupported JSON Schema keyword 'pattern' at #"), "stderr: \(refused.stderr)")
        let missing = try Self.spectral(["check", "--declare", "s=@" + dir.appendingPathComponent("none.json").path, "true"])
        #expect(missing.status != 0 && missing.stderr.contains("cannot read a JSON Schema from"))
    }

    @Test func malformedInputIsRejected() throws {
        let run = try Self.spectral(["eval", "--input", "{nope", "1"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("malformed JSON"))
    }

    @Test func checkPrintsType() throws {
        let run = try Self.spectral(["check", "--declare", "user=map(string, int)", "user.age > 3"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.hasPrefix("ok: bool"))
        let bad = try Self.spectral(["check", "1 + 'a'"])
        #expect(bad.status == 2)
    }

    @Test func compileThenDisasm() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("rule.cel")
        let module = dir.appendingPathComponent("rule.bin")
        let expression = "user.age >= 18 && user.name.startsWith('A')"
        try Data(expression.utf8).write(to: source)
        let compiled = try Self.spectral(["compile", "--declare", "user=map(string, dyn)", source.path, "-o", module.path])
        #expect(compiled.status == 0, "stderr: \(compiled.stderr)")
        #expect(compiled.stdout.contains("wrote"))
        let bytes = try [UInt8](Data(contentsOf: module))
        #expect(!bytes.isEmpty)

        // The file is exactly what the library produces for the same source.
        let env = Environment(variables: ["user": .map(.string, .dyn)])
        let program = try compile(expression, in: env)
        #expect(bytes == program.encoded)
        let loaded = try Program(bytes: bytes)
        #expect(loaded.evaluate(["user": .map([(.string("age"), .int(30)), (.string("name"), .string("Ada"))])]).result
                == .success(.bool(true)))

        let disasm = try Self.spectral(["disasm", module.path])
        #expect(disasm.status == 0, "stderr: \(disasm.stderr)")
        #expect(disasm.stdout == Disassembler.disassemble(program.module))
        #expect(disasm.stdout.contains("startsWith"))
    }

    @Test func disasmRejectsCorruptModule() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let module = dir.appendingPathComponent("bad.bin")
        let bytes = try compile("1 + 2").encoded
        try Data(bytes.dropLast(3)).write(to: module)
        let run = try Self.spectral(["disasm", module.path])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error:"))
        let missing = try Self.spectral(["disasm", dir.appendingPathComponent("nope.bin").path])
        #expect(missing.status == 2)
    }

    @Test func conformanceSummary() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("tiny.json")
        let json = """
        {"tests": [
          {"id": "tiny/pass", "expr": "1 + 2", "bindings": {}, "type_env": [], "needs": [],
           "value": {"int64_value": "3"}},
          {"id": "tiny/fail", "expr": "2 + 2", "bindings": {}, "type_env": [], "needs": [],
           "value": {"int64_value": "5"}}
        ]}
        """
        try Data(json.utf8).write(to: file)
        let run = try Self.spectral(["conformance", file.path])
        #expect(run.status != 0)
        #expect(run.stdout.contains("1 passed, 1 failed, 0 skipped"), "stdout: \(run.stdout)")
        #expect(run.stdout.contains("FAIL tiny/fail"))
        #expect(!run.stdout.contains("FAIL tiny/pass"))
    }

    @Test func conformanceAllPassingExitsZero() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("ok.json")
        let json = """
        {"tests": [
          {"id": "ok/one", "expr": "'a' + 'b'", "bindings": {}, "type_env": [], "needs": [],
           "value": {"string_value": "ab"}},
          {"id": "ok/proto", "expr": "x", "bindings": {}, "type_env": [], "needs": ["proto"],
           "value": {"int64_value": "1"}}
        ]}
        """
        try Data(json.utf8).write(to: file)
        let run = try Self.spectral(["conformance", file.path])
        #expect(run.status == 0, "stdout: \(run.stdout) stderr: \(run.stderr)")
        #expect(run.stdout.contains("1 passed, 0 failed, 1 skipped"))
    }

    @Test func unknownSubcommandFails() throws {
        let run = try Self.spectral(["frobnicate"])
        #expect(run.status != 0)
    }
}
