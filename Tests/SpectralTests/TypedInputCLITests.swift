import Foundation
import Spectral
import Testing

/// `spectral eval`, `check` and `compile` with inputs declared by JSON Schema
/// (`--declare NAME=@FILE`): eval binds its input as the decide path does, so an input
/// that does not fit is refused with the same JSON-pointer messages and exit status 1.
@Suite struct TypedInputCLITests {
    static let txnSchema = #"""
        {"type": "object", "required": ["amount", "currency"], "additionalProperties": false,
         "properties": {"amount": {"type": "number", "minimum": 0},
                        "currency": {"type": "string", "enum": ["EUR", "USD"]},
                        "note": {"type": "string", "maxLength": 100}}}
        """#

    func withSchemaFile(_ body: (String) throws -> Void) throws {
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("txn.schema.json")
        try Data(Self.txnSchema.utf8).write(to: file)
        try body(file.path)
    }

    @Test func evalValidatesInputAgainstTheSchemaAsDecideDoes() throws {
        try withSchemaFile { schema in
            func eval(_ input: String, _ source: String = "txn.amount / 2.0 > 50.0") throws -> CLITests.Run {
                try CLITests.spectral(["eval", "--declare", "txn=@" + schema, "--input", #"{"txn": \#(input)}"#, source])
            }
            // `250` is bound as a double, as the schema's number says.
            let fits = try eval(#"{"amount": 250, "currency": "EUR"}"#)
            #expect(fits.status == 0, "stderr: \(fits.stderr)")
            #expect(fits.stdout == "true\n")
            let cases: [(String, String)] = [
                (#"{"amount": "x", "currency": "EUR"}"#, "/txn/amount: expected number, got string"),
                (#"{"amount": -1, "currency": "GBP"}"#, #"/txn/amount: -1 is below the minimum 0; /txn/currency: "GBP" is not one of "EUR", "USD""#),
                (#"{"currency": "USD", "amout": 5}"#, "/txn/amout: unknown field (the schema allows no others); /txn: missing required field 'amount'"),
                ("null", "/txn: expected object, got null"),
            ]
            for (input, message) in cases {
                let refused = try eval(input)
                #expect(refused.status == 1, "\(input)")
                #expect(refused.stdout.isEmpty)
                #expect(refused.stderr == "error: input does not fit the declarations: \(message)\n", "\(input)")
            }
            // A misspelt field in the expression is a check error (2), before any input is read.
            let misspelt = try eval(#"{"amount": 1, "currency": "EUR"}"#, "txn.amout > 1.0")
            #expect(misspelt.status == 2)
            #expect(misspelt.stderr.contains("no field 'amout' in txn; did you mean 'amount'?"))
        }
    }

    /// A variable declared with a CEL type is bound by the same binder decide uses.
    @Test func evalBindsCELTypedDeclarationsAsDecideDoes() throws {
        let refused = try CLITests.spectral(["eval", "--declare", "amount=double", "--input", #"{"amount": "x"}"#, "amount > 1.0"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: input does not fit the declarations: amount: expected double"), "stderr: \(refused.stderr)")
        let notAnObject = try CLITests.spectral(["eval", "--input", "[1]", "true"])
        #expect(notAnObject.status == 1 && notAnObject.stderr == "error: input must be a JSON object of variable bindings\n")
        // Variables the input binds but nothing declares are still dyn.
        let undeclared = try CLITests.spectral(["eval", "--declare", "amount=double", "--input", #"{"amount": 2, "user": {"age": 20}}"#, "user.age > 18 && amount == 2.0"])
        #expect(undeclared.stdout == "true\n", "stderr: \(undeclared.stderr)")
    }

    /// `check` and `compile` read `--declare NAME=@FILE` too; the compiled module carries the schema.
    @Test func checkAndCompileReadASchemaFile() throws {
        try withSchemaFile { schema in
            let checked = try CLITests.spectral(["check", "--declare", "txn=@" + schema, "txn.amount > 1.0 && txn.currency == 'EUR'"])
            #expect(checked.status == 0, "stderr: \(checked.stderr)")
            #expect(checked.stdout.hasPrefix("ok: bool, cost bound "))
            let dir = try CLITests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let source = dir.appendingPathComponent("rule.cel"), module = dir.appendingPathComponent("rule.bin")
            try Data("txn.amount > 1.0".utf8).write(to: source)
            let compiled = try CLITests.spectral(["compile", "--declare", "txn=@" + schema, source.path, "-o", module.path])
            #expect(compiled.status == 0, "stderr: \(compiled.stderr)")
            let program = try Program(bytes: [UInt8](Data(contentsOf: module)))
            guard case .schema(let declared)? = program.module.declarations.first else {
                Issue.record("the module does not declare txn by its schema: \(program.module.declarations)")
                return
            }
            #expect(declared.maxSize == nil && declared.nullable == false)
            #expect(program.evaluate(json: Array(#"{"txn": {"amount": "x", "currency": "EUR"}}"#.utf8)).result
                == .failure(.input("/txn/amount: expected number, got string")))
        }
    }

    /// `check` prints a finite cost bound for a string function over a string whose schema
    /// bounds its length, and says it depends on input sizes when nothing does.
    @Test func checkPrintsAFiniteBoundUnderMaxLength() throws {
        try withSchemaFile { schema in
            let bounded = try CLITests.spectral(["check", "--declare", "txn=@" + schema, #"txn.note.contains("x")"#])
            #expect(bounded.status == 0, "stderr: \(bounded.stderr)")
            #expect(bounded.stdout.hasPrefix("ok: bool, cost bound "))
            #expect(UInt64(bounded.stdout.dropFirst("ok: bool, cost bound ".count).dropLast()) != nil, "stdout: \(bounded.stdout)")
            let unbounded = try CLITests.spectral(["check", "--declare", "note=string", #"note.contains("x")"#])
            #expect(unbounded.stdout == "ok: bool, cost bound depends on input sizes\n", "stderr: \(unbounded.stderr)")
        }
    }
}
