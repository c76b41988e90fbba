import SpectralBytecode
import SpectralCompiler
import SpectralSyntax
import Testing

/// Inputs declared by JSON Schema, as the checker sees them: fields, `has()`, types
/// through comprehensions, and nullable values.
@Suite struct ObjectTypeCheckerTests {
    static let txn = #"""
        {"type": "object", "required": ["amount", "items"],
         "properties": {
           "amount": {"type": "number"}, "currency": {"type": "string"}, "note": {"type": ["string", "null"]},
           "score": {"type": ["integer", "null"]},
           "items": {"type": "array", "items": {"type": "object", "required": ["qty"], "properties": {"qty": {"type": "integer"}, "sku": {"type": "string"}}}},
           "customer": {"type": ["object", "null"], "properties": {"tier": {"type": "string"}}},
           "labels": {"type": "object", "additionalProperties": {"type": "string"}},
           "extra": {"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": true},
           "at": {"type": "string", "format": "date-time"},
           "tier": {"type": "string", "enum": ["gold", "silver"]}, "level": {"type": "integer", "enum": [1, 2, 3]}}}
        """#

    func check(_ source: String) throws -> CheckedExpr {
        let declared = try InputDeclaration.parse(Self.txn)
        return try Checker.check(try Parser.parse(source), declarations: Declarations(variables: ["txn": declared.type]))
    }

    func messages(_ source: String) -> [String] {
        do {
            _ = try check(source)
            return []
        } catch let failure as CheckFailure {
            return failure.diagnostics.map(\.message)
        } catch {
            return ["\(error)"]
        }
    }

    @Test(arguments: [
        ("txn.amount", CELType.double),
        ("txn.amount > 100.0", .bool),
        ("txn.currency", .string),
        ("txn.items", .list(.object(ObjectType(fields: [.init(name: "qty", type: .int, required: true), .init(name: "sku", type: .string, required: false)])))),
        ("txn.items[0].qty", .int),
        ("txn.items.map(i, i.qty)", .list(.int)),
        ("txn.items.all(i, i.qty > 0)", .bool),
        ("has(txn.currency)", .bool),
        ("txn.labels", .map(.string, .string)),
        ("txn.labels.env", .string),
        ("txn.extra.id", .string),
        ("txn.extra.anything", .dyn),
        ("txn.at", .timestamp),
        ("txn.at.getFullYear()", .int),
        ("txn.note", .nullable(.string)),
        ("txn.note == 'x'", .bool),
        ("txn.score != null && txn.score > 3", .bool),
        ("txn.score == null || txn.score > 3", .bool),
        ("txn.score != null ? txn.score + 1 : 0", .int),
        ("txn.customer != null && txn.customer.tier == 'gold'", .bool),
        ("size(txn) > 1", .bool),
        ("'amount' in txn", .bool),
    ])
    func typesFlowFromTheSchema(source: String, expected: CELType) throws {
        #expect(try check(source).resultType == expected)
    }

    @Test(arguments: [
        ("txn.amout > 1.0", "no field 'amout' in txn; did you mean 'amount'?"),
        ("has(txn.curency)", "no field 'curency' in txn; did you mean 'currency'?"),
        ("txn.zzz", "no field 'zzz' in txn"),
        ("txn.items.all(i, i.qyt > 0)", "no field 'qyt' in i; did you mean 'qty'?"),
        ("txn.tier == 'platinum'", "txn.tier is one of 'gold', 'silver' by its schema: comparing it with 'platinum' is never true"),
        ("'bronze' != txn.tier", "txn.tier is one of 'gold', 'silver' by its schema: comparing it with 'bronze' is always true"),
        ("txn.tier == 'gold' || txn.level == 2", ""),
        ("txn.level == 4", "txn.level is one of 1, 2, 3 by its schema: comparing it with 4 is never true"),
        ("txn.amount + 1", "found no matching overload for '_+_' applied to '_+_(double, int)'"),
        ("txn.items.all(i, i.qty + 0.5 > 1.0)", "found no matching overload for '_+_' applied to '_+_(int, double)'"),
        ("txn.score > 3", "found no matching overload for '_>_' applied to '_>_(nullable(int), int)'. txn.score may be null: test 'txn.score != null && …' first"),
        ("txn.customer.tier == 'gold'", "txn.customer may be null: test 'txn.customer != null && …' before selecting 'tier'"),
        ("txn.score > 3 && txn.score != null", "found no matching overload for '_>_' applied to '_>_(nullable(int), int)'. txn.score may be null: test 'txn.score != null && …' first"),
        // The loop variable `txn` is not the outer one the test proved non-null.
        ("txn.score != null && [1].all(txn, txn > 0) && txn.score > 1", ""),
    ])
    func misuseIsACheckError(source: String, message: String) {
        #expect(messages(source) == (message.isEmpty ? [] : [message]))
    }

    @Test func aShadowingLoopVariableLosesTheOuterNullTest() throws {
        let nested = #"{"type": "object", "properties": {"v": {"type": ["integer", "null"]}}}"#
        let declared = try InputDeclaration.parse(nested)
        let source = "x.v != null && [x].all(x, x.v > 1)"
        let variables: [String: CELType] = ["x": declared.type]
        #expect(throws: CheckFailure.self) {
            try Checker.check(try Parser.parse(source), declarations: Declarations(variables: variables))
        }
    }

    @Test func suggestionsAreByEditDistance() {
        let object = ObjectType(fields: [.init(name: "amount", type: .double, required: true),
                                         .init(name: "currency", type: .string, required: true)])
        #expect(object.suggestion(for: "amuont") == "amount")
        #expect(object.suggestion(for: "amountToPay") == nil)
        #expect(object.suggestion(for: "cur") == nil)
        #expect(object.description == "{amount: double, currency: string}")
    }
}
