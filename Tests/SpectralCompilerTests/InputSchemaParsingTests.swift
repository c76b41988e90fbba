import SpectralBytecode
import SpectralCompiler
import Testing

/// JSON Schema declarations: each supported keyword, and an error naming the keyword
/// and its place for everything else.
@Suite struct InputSchemaParsingTests {
    func parse(_ text: String) throws -> InputSchema { try InputSchema.parse(text) }

    func failure(_ text: String) -> SchemaError? {
        do { _ = try InputSchema.parse(text); return nil } catch { return error }
    }

    @Test(arguments: [
        (#"{"type": "string"}"#, InputSchema(.string)),
        (#"{"type": "integer"}"#, InputSchema(.integer)),
        (#"{"type": "number"}"#, InputSchema(.number)),
        (#"{"type": "boolean"}"#, InputSchema(.boolean)),
        (#"{"type": "null"}"#, InputSchema(.null)),
        (#"{}"#, InputSchema(.any)),
        (#"{"description": "anything at all"}"#, InputSchema(.any)),
        (#"{"type": ["integer", "null"]}"#, InputSchema(.integer, nullable: true)),
        (#"{"type": ["null", "string"]}"#, InputSchema(.string, nullable: true)),
        (#"{"type": "string", "format": "date-time"}"#, InputSchema(.timestamp)),
        (#"{"type": "string", "format": "ipv4"}"#, InputSchema(.string, format: .ipv4)),
        (#"{"type": "string", "format": "ipv6"}"#, InputSchema(.string, format: .ipv6)),
        (#"{"type": "string", "maxLength": 8}"#, InputSchema(.string, maxLength: 8)),
        (#"{"type": "integer", "minimum": 0, "maximum": 10}"#, InputSchema(.integer, minimum: 0, maximum: 10)),
        (#"{"type": "number", "minimum": -1.5}"#, InputSchema(.number, minimum: -1.5)),
        (#"{"type": "string", "enum": ["low", "high"]}"#, InputSchema(.string, values: [.string("low"), .string("high")])),
        (#"{"enum": ["low", "high"]}"#, InputSchema(.string, values: [.string("low"), .string("high")])),
        (#"{"enum": [1, 2.5]}"#, InputSchema(.number, values: [.int(1), .double(2.5)])),
        (#"{"enum": ["a", null]}"#, InputSchema(.string, nullable: true, values: [.string("a"), .null])),
        (#"{"const": true}"#, InputSchema(.boolean, values: [.bool(true)])),
        (#"{"type": "integer", "const": 3}"#, InputSchema(.integer, values: [.int(3)])),
        (#"{"type": "array", "items": {"type": "integer"}, "maxItems": 4}"#, InputSchema(.array(InputSchema(.integer)), maxItems: 4)),
    ])
    func scalarAndArrayKeywords(text: String, expected: InputSchema) throws {
        #expect(try parse(text) == expected)
    }

    @Test func objectsWithPropertiesRequiredAndAdditionalProperties() throws {
        let schema = try parse(#"""
            {"type": "object", "description": "a payment",
             "properties": {"amount": {"type": "number"}, "currency": {"type": "string"}, "note": {"type": ["string", "null"]}},
             "required": ["currency", "amount"], "additionalProperties": false, "maxProperties": 3}
            """#)
        #expect(schema == InputSchema(.object(InputObject(fields: [
            InputField(name: "amount", schema: InputSchema(.number), required: true),
            InputField(name: "currency", schema: InputSchema(.string), required: true),
            InputField(name: "note", schema: InputSchema(.string, nullable: true), required: false),
        ], additional: .forbidden)), maxProperties: 3))
        // Fields are kept sorted by name whatever order the schema lists them in.
        #expect(schema == (try parse(#"{"additionalProperties": false, "maxProperties": 3, "required": ["amount", "currency"], "properties": {"note": {"type": ["null", "string"]}, "currency": {"type": "string"}, "amount": {"type": "number"}}, "type": "object"}"#)))
    }

    @Test func additionalPropertiesAbsentTrueOrASchema() throws {
        #expect(try parse(#"{"type": "object"}"#) == InputSchema(.object(InputObject(fields: [], additional: .unread))))
        #expect(try parse(#"{"type": "object", "additionalProperties": true}"#)
                == InputSchema(.object(InputObject(fields: [], additional: .allowed(InputSchema(.any))))))
        #expect(try parse(#"{"type": "object", "additionalProperties": {"type": "integer"}}"#)
                == InputSchema(.object(InputObject(fields: [], additional: .allowed(InputSchema(.integer))))))
    }

    @Test func localReferencesExpandInPlace() throws {
        let schema = try parse(#"""
            {"$defs": {"item": {"type": "object", "properties": {"qty": {"$ref": "#/$defs/qty"}}, "required": ["qty"]},
                       "qty": {"type": "integer", "minimum": 1}},
             "type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/item", "description": "one line"}}}}
            """#)
        let item = InputSchema(.object(InputObject(fields: [
            InputField(name: "qty", schema: InputSchema(.integer, minimum: 1), required: true)])))
        #expect(schema == InputSchema(.object(InputObject(fields: [
            InputField(name: "items", schema: InputSchema(.array(item)), required: false)]))))
    }

    @Test(arguments: [
        (#"{"type": "string", "pattern": "^a"}"#, "unsupported JSON Schema keyword 'pattern' at #"),
        (#"{"type": "object", "properties": {"ssn": {"type": "string", "x-masked": "yes"}}}"#, "'x-masked' must be true or false at #/properties/ssn/x-masked"),
        (#"{"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer"}, "minItems": 1}}}"#,
         "unsupported JSON Schema keyword 'minItems' at #/properties/a"),
        (#"{"type": "object", "properties": {"a/b": {"type": "int"}}}"#,
         "unknown type 'int' (JSON Schema types: object, array, string, integer, number, boolean, null); did you mean 'integer'? at #/properties/a~1b/type"),
        (#"{"type": ["string", "integer"]}"#, "'type' may list one type and \"null\", not several types at #/type"),
        (#"{"type": []}"#, "'type' must be a type name or a non-empty array of them at #/type"),
        (#"{"type": "object", "required": ["id"]}"#, "required property 'id' is not declared in 'properties' at #/required/0"),
        (#"{"type": "object", "properties": {"id": {}}, "required": ["id", "id"]}"#, "'id' is required twice at #/required/1"),
        (#"{"type": "object", "additionalProperties": 1}"#, "'additionalProperties' must be true, false or a schema at #/additionalProperties"),
        (#"{"type": "array"}"#, "an array schema needs 'items' at #"),
        (#"{"type": "string", "items": {}}"#, "'items' needs \"type\": \"array\" at #"),
        (#"{"properties": {}}"#, "'properties' needs \"type\": \"object\" at #"),
        (#"{"type": "string", "maxItems": 2}"#, "'maxItems' needs \"type\": \"array\" at #"),
        (#"{"type": "integer", "maxLength": 2}"#, "'maxLength' needs \"type\": \"string\" at #"),
        (#"{"type": "array", "items": {}, "maxProperties": 2}"#, "'maxProperties' needs \"type\": \"object\" at #"),
        (#"{"type": "string", "minimum": 2}"#, "'minimum' needs \"type\": \"integer\" or \"number\" at #"),
        (#"{"type": "integer", "minimum": 5, "maximum": 1}"#, "'minimum' 5.0 is above 'maximum' 1.0 at #"),
        (#"{"type": "string", "maxLength": -1}"#, "must be a non-negative integer at #/maxLength"),
        (#"{"type": "array", "items": {}, "maxItems": 1.5}"#, "must be a non-negative integer at #/maxItems"),
        (#"{"type": "integer", "maximum": "10"}"#, "must be a number at #/maximum"),
        (#"{"type": "string", "format": "email"}"#, "unsupported format 'email' (supported: date-time, ipv4, ipv6) at #/format"),
        (#"{"type": "integer", "format": "ipv4"}"#, "'format' needs \"type\": \"string\" and a string value at #/format"),
        (#"{"type": "string", "enum": ["a", 1]}"#, "value does not match the schema's type at #/enum/1"),
        (#"{"type": "string", "enum": []}"#, "'enum' must be a non-empty array at #/enum"),
        (#"{"enum": [[1]]}"#, "only scalar values (strings, numbers, booleans, null) are supported here at #/enum/0"),
        (#"{"type": "integer", "const": 1.5}"#, "value does not match the schema's type at #/const"),
        (#"{"enum": ["a"], "const": "a"}"#, "'enum' and 'const' cannot both be given at #"),
        (#"{"type": "string", "description": 3}"#, "'description' must be a string at #/description"),
        (##"{"$ref": "other.json#/x"}"##, "only local references of the form \"#/$defs/NAME\" are supported, found \"other.json#/x\" at #/$ref"),
        (##"{"$ref": "#/$defs/missing"}"##, "'$ref' names no definition: #/$defs/missing at #/$ref"),
        (##"{"$defs": {"a": {"type": "string"}}, "$ref": "#/$defs/a", "maxLength": 3}"##, "'$ref' cannot be combined with 'maxLength' at #"),
        (##"{"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}}, "$ref": "#/$defs/node"}"##,
         "cyclic '$ref' #/$defs/node: recursive schemas are not supported at #/$defs/node/properties/next/$ref"),
        (#"{"type": "object", "properties": {"a": {"$defs": {}}}}"#, "'$defs' is only supported at the root of a declaration at #/properties/a"),
        (#"{"type": "string", "type": "integer"}"#, "duplicate keyword 'type' at #"),
        (#"[1]"#, "a JSON Schema must be an object at #"),
        (#"{"type": "object", "properties": {"a": 1}}"#, "a schema must be an object, found 1 at #/properties/a"),
    ])
    func errorsNameTheKeywordAndItsPointer(text: String, message: String) {
        #expect(failure(text)?.description == message)
    }

    /// Nesting and `$ref` expansion are bounded: hostile or careless schemas cannot make
    /// the compiler, the module or the binder do unbounded work.
    @Test func depthAndExpansionAreBounded() {
        // Deep text is refused by the JSON reader; deep expansion by the schema's own bound.
        let deep = String(repeating: #"{"type": "array", "items": "#, count: 70) + "{}" + String(repeating: "}", count: 70)
        #expect(failure(deep)?.message.hasPrefix("malformed JSON Schema: nesting deeper than 64") == true)
        let chain = (0..<70).map { ##""a\##($0)": {"type": "array", "items": {"$ref": "#/$defs/a\##($0 + 1)"}}"## } + [#""a70": {}"#]
        let referenced = ##"{"$defs": {"## + chain.joined(separator: ", ") + ##"}, "$ref": "#/$defs/a0"}"##
        #expect(failure(referenced)?.message == "the schema nests deeper than 64 levels")
        // Each definition uses the next twice: 2^20 schemas from twenty lines.
        var defs: [String] = []
        for i in 0..<20 {
            defs.append(##""d\##(i)": {"type": "object", "properties": {"a": {"$ref": "#/$defs/d\##(i + 1)"}, "b": {"$ref": "#/$defs/d\##(i + 1)"}}}"##)
        }
        defs.append(#""d20": {"type": "string"}"#)
        let wide = #"{"$defs": {"# + defs.joined(separator: ", ") + ##"}, "$ref": "#/$defs/d0"}"##
        #expect(failure(wide)?.message == "the schema expands to more than 4096 schemas")
    }

    @Test func declarationTextIsACELTypeOrASchema() throws {
        #expect(try InputDeclaration.parse("map(string, dyn)") == InputDeclaration(type: .map(.string, .dyn)))
        let declared = try InputDeclaration.parse(#"  {"type": "array", "items": {"type": "number"}}"#)
        #expect(declared.type == .list(.double))
        #expect(declared.schema == InputSchema(.array(InputSchema(.number))))
        #expect(throws: TypeSyntaxError.self) { try InputDeclaration.parse(#"{"type": "strin"}"#) }
        #expect(throws: TypeSyntaxError.self) { try InputDeclaration.parse(#"{"type": "#) }
    }

    /// `x-masked` marks a value for the decision log's mask (SpectralCatalog); it changes
    /// nothing about the type, and may sit beside a `$ref`.
    @Test func xMaskedIsAcceptedAndChangesNothing() throws {
        #expect(try parse(#"{"type": "string", "x-masked": true}"#) == InputSchema(.string))
        let referenced = try parse(##"{"$defs": {"S": {"type": "string"}}, "type": "object", "properties": {"a": {"$ref": "#/$defs/S", "x-masked": true}}}"##)
        #expect(referenced == InputSchema(.object(InputObject(fields: [InputField(name: "a", schema: InputSchema(.string), required: false)]))))
    }
}
