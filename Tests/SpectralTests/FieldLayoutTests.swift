import Spectral
@testable import SpectralVM
import Testing

/// Declared fields by slot (`FieldLayouts`): objects bound by schema are laid out, and
/// `select`/`has` read their declared fields by index. Each test checks the answer and
/// that the layout was really used (or, where it must not be, that it was not).
@Suite struct FieldLayoutTests {
    static let txn = #"""
        {"type": "object", "required": ["amount", "country"], "properties": {
          "amount": {"type": "number"}, "country": {"type": "string"}, "note": {"type": "string"},
          "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
          "gift": {"$ref": "#/$defs/item"}},
         "$defs": {"item": {"type": "object", "required": ["qty"], "properties": {
           "qty": {"type": "integer"}, "sku": {"type": "string"}}}}}
        """#

    func evaluate(_ source: String, _ input: String, declaring declarations: [String: String] = ["txn": txn])
        throws -> (result: Result<CELValue, EvaluationError>, machine: Machine) {
        let program = try compile(source, in: Environment(declaring: declarations))
        var machine = program.makeMachine()
        let evaluation = program.evaluate(json: Array(input.utf8), on: &machine)
        return (evaluation.result, machine)
    }

    /// The layouts of every map the input bound, in binding order.
    func layouts(_ machine: Machine) -> [Int32] { machine.heap.maps.map(\.layout) }

    @Test func declaredFieldsAreReadBySlotWhateverTheInputOrder() throws {
        // Input order differs from field order (amount, country, gift, items, note).
        let (result, machine) = try evaluate("txn.amount > 10.0 && txn.country == 'BR' && !has(txn.note)",
                                             #"{"txn": {"country": "BR", "amount": 12.5}}"#)
        #expect(result == .success(.bool(true)))
        #expect(layouts(machine).count == 1 && layouts(machine)[0] >= 0)
        let map = machine.heap.maps[0]
        #expect(map.present == 0b00011)
        // Declared fields first, in field order: the map a user sees is unchanged.
        #expect(map.keys.map { Printer.describe($0, in: machine.heap) } == [#""amount""#, #""country""#])
    }

    @Test func anAbsentOptionalFieldIsTheMissingKeyItWasBefore() throws {
        let (result, machine) = try evaluate("txn.note == 'x'", #"{"txn": {"amount": 1, "country": "BR"}}"#)
        guard case .failure(let failure) = result else { Issue.record("expected an error, got \(result)"); return }
        #expect("\(failure)".contains("no such key: note"))
        #expect(layouts(machine).count == 1 && layouts(machine)[0] >= 0)
    }

    @Test func theSameDefinitionInTwoPlacesSharesOneLayout() throws {
        let (result, machine) = try evaluate(
            "txn.items.all(i, i.qty > 0) && txn.gift.qty == 1 && !has(txn.gift.sku) && txn.items.exists(i, has(i.sku))",
            #"{"txn": {"amount": 1, "country": "BR", "gift": {"qty": 1}, "items": [{"sku": "a", "qty": 2}, {"qty": 3}]}}"#)
        #expect(result == .success(.bool(true)))
        // txn (layout 0) and three items (one layout, whichever number it got).
        let bound = layouts(machine)
        #expect(bound.count == 4)
        #expect(Set(bound).count == 2)
        #expect(!bound.contains(-1))
    }

    @Test func objectsOfDifferentLayoutsMeetInOneSelect() throws {
        // `x` is field 1 of `a` and field 0 of `b`: the slot comes from the map's own layout.
        let a = #"{"type": "object", "required": ["w", "x"], "properties": {"w": {"type": "integer"}, "x": {"type": "integer"}}}"#
        let b = #"{"type": "object", "required": ["x"], "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}}"#
        let source = "(flag ? a : b).x"
        let input = #"{"flag": %@, "a": {"w": 1, "x": 2}, "b": {"x": 3, "y": 4}}"#
        for (flag, expected) in [("true", Int64(2)), ("false", 3)] {
            let declarations = ["a": a, "b": b, "flag": "bool"]
            let (result, _) = try evaluate(source, input.replacing("%@", with: flag), declaring: declarations)
            #expect(result == .success(.int(expected)))
        }
    }

    @Test func undeclaredMembersAreStillReadByKey() throws {
        let open = #"{"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}, "additionalProperties": {"type": "integer"}}"#
        let (result, machine) = try evaluate("o.id == 'k' && o.extra == 7 && size(o) == 2 && 'extra' in o && o['id'] == 'k'",
                                             #"{"o": {"extra": 7, "id": "k"}}"#, declaring: ["o": open])
        #expect(result == .success(.bool(true)))
        #expect(layouts(machine) == [0])    // the only object declared
    }

    @Test func aLaidOutMapIsEqualToTheSameMapWrittenInAnyOrder() throws {
        let (result, _) = try evaluate(#"txn == {"country": "BR", "amount": 1.0} && [txn].exists(t, t.amount == 1.0)"#,
                                       #"{"txn": {"amount": 1, "country": "BR"}}"#)
        #expect(result == .success(.bool(true)))
    }

    /// A laid-out map with every field and nothing else stores no keys (they are its
    /// layout's): each way of reading a map's keys must still find them, in field order.
    @Test func aMapWithEveryFieldReadsItsKeysFromItsLayout() throws {
        let item = #"{"type": "object", "required": ["qty", "sku"], "properties": {"qty": {"type": "integer"}, "sku": {"type": "string"}}}"#
        let input = #"{"item": {"sku": "a", "qty": 2}}"#
        let readers = [
            "item.map(k, k) == ['qty', 'sku']",                        // iterating the keys
            "item.all(k, k in item) && item.exists_one(k, k == 'sku')",
            #"item == {"sku": "a", "qty": 2}"#, #"{"qty": 2, "sku": "a"} == item"#,   // equality, both sides
            "item['sku'] == 'a' && 'qty' in item && !('price' in item)",  // lookup by key
            #""%s".format([item]).matches('^[{].*qty.*2.*sku.*a.*[}]$')"#,     // formatting
            "size(item) == 2",
        ]
        for source in readers {
            let (result, machine) = try evaluate(source, input, declaring: ["item": item])
            #expect(result == .success(.bool(true)), "\(source)")
            guard case .map(let h) = machine.variables[0] else { Issue.record("item is not bound as a map"); continue }
            #expect(machine.heap.maps[Int(h)].isComplete)
            #expect(machine.heap.map(h).keys.map { Printer.describe($0, in: machine.heap) } == [#""qty""#, #""sku""#])
        }
        // One field missing: the keys are the map's own.
        let (_, partial) = try evaluate("has(txn.amount)", #"{"txn": {"amount": 1, "country": "BR"}}"#)
        guard case .map(let h) = partial.variables[0] else { Issue.record("txn is not bound as a map"); return }
        #expect(!partial.heap.maps[Int(h)].isComplete)
    }

    @Test func aRepeatedMemberIsAnInputError() throws {
        let (result, _) = try evaluate("txn.amount > 0.0", #"{"txn": {"amount": 1, "country": "BR", "amount": 2}}"#)
        #expect(result == .failure(.input("/txn/amount: repeated member")))
    }

    @Test func objectsWiderThanALayoutAreBoundAsPlainMaps() throws {
        let names = (0...FieldLayouts.maxFields).map { "f\($0)" }
        let properties = names.map { #""\#($0)": {"type": "integer"}"# }.joined(separator: ", ")
        let wide = #"{"type": "object", "properties": {\#(properties)}, "required": ["f64"]}"#
        let (result, machine) = try evaluate("w.f64 == 64 && !has(w.f3)", #"{"w": {"f64": 64}}"#, declaring: ["w": wide])
        #expect(result == .success(.bool(true)))
        #expect(layouts(machine) == [-1])
        let (missing, _) = try evaluate("w.f64 == 64", #"{"w": {"f1": 1}}"#, declaring: ["w": wide])
        #expect(missing == .failure(.input("/w: missing required field 'f64'")))
    }

    @Test func mapsNotBoundBySchemaHaveNoLayout() throws {
        let (result, machine) = try evaluate("m.a == 1 && {'a': 1}.a == 1", #"{"m": {"a": 1}}"#,
                                             declaring: ["m": "map(string, int)"])
        #expect(result == .success(.bool(true)))
        #expect(layouts(machine).allSatisfy { $0 == -1 })
    }
}
