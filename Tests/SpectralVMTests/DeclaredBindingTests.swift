import Foundation
import SpectralBytecode
@testable import SpectralVM
import Testing

/// What the binder stores for a variable, given the module's declarations: the
/// committed version-1 big_spender module binds `amount` from `5000` as an int (dyn),
/// and as a double once upgraded with `amount: double`.
@Suite struct DeclaredBindingTests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/modules/v1-big-spender.spbc")

    /// The value bound to `amount` from `{"amount": 5000}`.
    func boundAmount(_ module: Module) throws -> Value {
        let executable = try Executable(verifying: module)
        var machine = Machine(executable)
        try JSONBinder.bind(Array(#"{"amount": 5000, "customer": {"tier": "gold"}}"#.utf8), into: &machine)
        let slot = try #require(machine.slot(of: "amount"))
        return machine.variables[slot]
    }

    @Test func version1BindsAsDynThenAsDeclared() throws {
        let v1 = try ModuleDecoder.decode([UInt8](Data(contentsOf: Self.fixture)))
        guard case .int(5000) = try boundAmount(v1) else {
            Issue.record("a dyn amount should bind 5000 as an int")
            return
        }
        let upgraded = v1.declaring(["amount": .double, "customer": .map(key: .string, value: .dyn)])
        guard case .double(5000) = try boundAmount(upgraded) else {
            Issue.record("a declared double should bind 5000 as a double")
            return
        }
    }

    @Test func shapesFollowDeclarations() {
        let module = Module(variables: ["a", "b", "c", "a"],
                            declarations: [.list(.double), .dyn, .map(key: .int, value: .timestamp), .string])
        // dyn is the binder's default and is left out; the first of two equal names wins.
        #expect(InputShape.shapes(of: module) == ["a": .list(.double), "c": .map(.timestamp)])
        #expect(InputShape.shapes(of: Module(variables: ["x"])).isEmpty)
        #expect(InputShape(.map(key: .string, value: .list(.bytes))) == .map(.list(.bytes)))
    }
}
