import Spectral
@testable import SpectralVM
import Testing

/// Issue 14: unused input keys cost quadratic time (40,000 extra keys, 660 KB: 4 s to
/// bind, fuel used 9). The duplicate check is hashed now: one probe per key.
@Suite struct BinderKeysTests {
    static func body(keys: Int, duplicate: Bool = false) -> [UInt8] {
        var text = #"{"x": 1"#
        for i in 0..<keys { text += #", "k\#(i)": \#(i)"# }
        if duplicate { text += #", "k0": 0"# }
        return Array((text + "}").utf8)
    }

    @Test func unusedKeysCostOneProbeEach() throws {
        let program = try compile("x == 1", in: Environment(variables: ["x": .int]))
        var machine = program.makeMachine()
        for keys in [10_000, 40_000] {
            let work = try JSONBinder.bind(Self.body(keys: keys), into: &machine)
            #expect(work.unusedKeyProbes == keys)
            #expect(machine.run().fuelUsed > 0)
        }
        #expect(throws: JSONBinder.BindingError.self) {
            try JSONBinder.bind(Self.body(keys: 40_000, duplicate: true), into: &machine)
        }
    }

    /// A program reading many variables: each key is found by hashing, not by a scan.
    @Test func manyVariablesBindBySlot() throws {
        let names = (0..<40).map { "v\($0)" }
        let declared = Dictionary(uniqueKeysWithValues: names.map { ($0, CELType.int) })
        let program = try compile(names.map { "\($0) == 1" }.joined(separator: " && "), in: Environment(variables: declared))
        var text = "{" + names.map { #""\#($0)": 1"# }.joined(separator: ", ")
        text += #", "v0x": 2}"#
        var machine = program.makeMachine()
        let work = try JSONBinder.bind(Array(text.utf8), into: &machine)
        #expect(work.unusedKeyProbes == 1)
        guard case .value(.bool(true)) = machine.run().result else {
            Issue.record("expected true")
            return
        }
    }
}
