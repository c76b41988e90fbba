import Spectral
import SpectralCatalog
import Testing

/// The mask and the sample rate of the decision log, as pure values: which pointers are
/// accepted, what masking does to an input's text, what a schema marks, and which ids a
/// rate admits.
@Suite struct InputMaskTests {
    @Test func pointersAreCheckedAndNamedByTheirIndex() throws {
        #expect(try InputMask(pointers: ["/user/ssn", "/a~1b/c~0d", "/txns/*/card", "/"]).pointers.count == 4)
        let refused: [([String], String)] = [
            (["/ok", "user/ssn"], "mask[1]: 'user/ssn' is not a JSON pointer: it must start with '/'"),
            (["/a~2b"], "mask[0]: '/a~2b' has '~2'"),
            (["/ok", "/ok", "/a~"], "mask[2]: '/a~' ends in a lone '~'"),
            ([""], "mask[0]: the empty pointer would mask the whole input"),
            (["/" + String(repeating: "x", count: 600)], "mask[0]: a pointer has at most 512 bytes, got 601"),
            (["/a\u{0}b"], "mask[0]: the pointer contains the character U+0000"),
            ((0...64).map { "/f\($0)" }, "a mask names at most 64 pointers, got 65"),
        ]
        for (pointers, message) in refused {
            #expect(throws: InputMaskError.self) { try InputMask(pointers: pointers) }
            do { _ = try InputMask(pointers: pointers) } catch {
                #expect(error.message.hasPrefix(message), "\(error.message)")
            }
        }
    }

    @Test func maskedValuesAreReplacedWhereverThePointersReach() throws {
        let mask = try InputMask(pointers: ["/user/ssn", "/txns/*/card", "/a~1b", "/list/1", "/absent/x"])
        let input = #"{"user": {"ssn": "123-45-6789", "age": 30, "ssn": {"deep": 1}}, "txns": [{"card": "4111", "n": 1.50}, {"n": 2}, {"card": [1, 2]}], "a/b": true, "list": [10, 11, 12], "keep": 1e400}"#
        let masked = mask.masked(input)
        let json = try JSONValue.parse(masked)
        // Both members named ssn (the text keeps duplicates), every card, the escaped name,
        // one array element; the rest as written, numbers by their text.
        #expect(!masked.contains("123-45-6789") && !masked.contains("4111") && !masked.contains("deep"))
        #expect(json["user"]?.objectValue?.map(\.1) == [.string("[masked]"), .number(JSONNumber("30")!), .string("[masked]")])
        #expect(json["txns"]?.arrayValue?.map { $0["card"] } == [.string("[masked]"), nil, .string("[masked]")])
        #expect(json["txns"]?.arrayValue?.first?["n"] == .number(JSONNumber("1.50")!))
        #expect(json["a/b"] == .string("[masked]") && json["list"] == JSONValue.array([.number(JSONNumber("10")!), .string("[masked]"), .number(JSONNumber("12")!)]))
        #expect(json["keep"] == .number(JSONNumber("1e400")!) && json["absent"] == nil)
        // No mask, no change; text that is not a JSON object fails closed.
        #expect(InputMask.none.masked(input) == input)
        #expect(mask.masked("not json") == "{}" && mask.masked("[1]") == "{}")
    }

    @Test func coversNamesTheValueAndEverythingInsideIt() throws {
        let mask = try InputMask(pointers: ["/user/ssn", "/txns/*/card"])
        for pointer in ["/user/ssn", "/user/ssn/0", "/txns/3/card", "/txns/0/card/number"] { #expect(mask.covers(pointer), "\(pointer)") }
        for pointer in ["/user", "/user/ssnx", "/txns/3", "/txns/3/cardx", "/", "user/ssn"] { #expect(!mask.covers(pointer), "\(pointer)") }
        #expect(!InputMask.none.covers("/user/ssn"))
    }

    @Test func aSchemaMarksPropertiesItemsAndReferences() throws {
        let schema = """
            {"$defs": {"Secret": {"type": "string", "x-masked": true}}, "type": "object", "properties": {
              "ssn": {"type": "string", "x-masked": true}, "age": {"type": "integer", "x-masked": false},
              "a/b": {"$ref": "#/$defs/Secret"},
              "cards": {"type": "array", "items": {"type": "object", "properties": {"number": {"type": "string", "x-masked": true}}}}}}
            """
        let marked = try InputMask.marked(in: ["user": schema, "amount": "double"])
        #expect(Set(marked) == ["/user/ssn", "/user/a~1b", "/user/cards/*/number"])
        let definition = try PredicateDefinition(json: try JSONValue.parse(#"{"name": "p", "source": "true", "mask": ["/user/pin"], "declarations": {"user": \#(schema)}}"#))
        #expect(definition.inputMask.pointers == ["/user/a~1b", "/user/cards/*/number", "/user/pin", "/user/ssn"])
        #expect(definition.mask.pointers == ["/user/pin"])
        // A whole variable may be masked; additionalProperties has no pointer of its own.
        #expect(try InputMask.marked(in: ["token": #"{"type": "string", "x-masked": true}"#]) == ["/token"])
        #expect(throws: InputMaskError.self) {
            try InputMask.marked(in: ["m": #"{"type": "object", "additionalProperties": {"type": "string", "x-masked": true}}"#])
        }
        #expect(throws: InputMaskError.self) {
            try InputMask.marked(in: ["m": ##"{"$defs": {"S": {"type": "string", "x-masked": true}}, "type": "object", "additionalProperties": {"$ref": "#/$defs/S"}}"##])
        }
        // A cycle of references ends (the parser refuses it; the walk must still stop).
        #expect(try InputMask.marked(in: ["m": ##"{"$defs": {"A": {"$ref": "#/$defs/A"}}, "type": "object", "additionalProperties": {"$ref": "#/$defs/A"}}"##]).isEmpty)
    }

    @Test func theDefinitionCarriesMaskAndSampleAndRefusesBadOnes() throws {
        let definition = try PredicateDefinition(jsonText: #"{"name": "p", "source": "true", "mask": ["/b", "/a"], "log_sample": 0.25}"#)
        #expect(definition.mask.pointers == ["/a", "/b"] && definition.logSample.value == 0.25)
        // The payload round-trips, and a definition without them writes neither (a worker
        // of the previous release refuses members it does not know).
        #expect(try PredicateDefinition(json: definition.jsonValue) == definition)
        let plain = try PredicateDefinition(jsonText: #"{"name": "p", "source": "true"}"#)
        #expect(plain.jsonValue["mask"] == nil && plain.jsonValue["log_sample"] == nil && plain.logSample == .all && plain.mask.isEmpty)
        let refused: [(String, String)] = [
            (#""mask": "/a""#, "\"mask\" must be an array of JSON pointers"),
            (#""mask": ["/a", 3]"#, "mask[1]: a pointer must be a string, found 3"),
            (#""mask": ["/a", "b"]"#, "mask[1]: 'b' is not a JSON pointer"),
            (#""log_sample": 1.5"#, "\"log_sample\" must be a number from 0 to 1, got 1.5"),
            (#""log_sample": -0.1"#, "\"log_sample\" must be a number from 0 to 1, got -0.1"),
            (#""log_sample": "all""#, "\"log_sample\" must be a number from 0 to 1, found \"all\""),
            (#""mask_": []"#, "unknown field"),
        ]
        for (member, message) in refused {
            do {
                _ = try PredicateDefinition(jsonText: #"{"name": "p", "source": "true", \#(member)}"#)
                Issue.record("accepted \(member)")
            } catch {
                #expect(error.message.hasPrefix(message), "\(error.message)")
            }
        }
    }

    @Test func aRateAdmitsTheIdsWhoseRandomBitsAreBelowIt() throws {
        func id(_ randB: UInt64) -> DecisionID { DecisionID(milliseconds: 1, randA: 0, randB: randB) }
        let quarter = try LogSampleRate(0.25)
        #expect(quarter.admits(id(0)) && quarter.admits(id(1 << 60 - 1)) && !quarter.admits(id(1 << 60)))
        let none = try LogSampleRate(0)
        #expect(LogSampleRate.all.admits(id(1 << 62 - 1)) && !none.admits(id(0)))
        #expect(try LogSampleRate(0.5).times(try LogSampleRate(0.5)) == quarter)
        #expect(LogSampleRate.all.times(quarter) == quarter && quarter.times(.all) == quarter)
        for bad in [-0.01, 1.01, .nan, .infinity] { #expect(throws: LogSampleRateError.self) { try LogSampleRate(bad) } }
        // Over real ids, about the rate (a bound no fair sample of 20,000 misses).
        let generator = DecisionIDGenerator()
        let admitted = (0..<20_000).filter { _ in quarter.admits(generator.next()) }.count
        #expect((4_500...5_500).contains(admitted), "\(admitted)")
    }
}
