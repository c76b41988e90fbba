import Spectral
import SpectralBytecode
import SpectralVM
import Testing

/// The one library table: what the checker declares is what the loader can call, and a
/// call's overload ids decide its implementation (or, unknown, its name does).
struct LibraryTableTests {
    @Test func overloadIdsAreUnique() {
        var seen: Set<String> = []
        for function in Library.functions {
            for overload in function.overloads {
                #expect(seen.insert(overload.signature.id).inserted, "duplicate overload id \(overload.signature.id)")
            }
        }
    }

    /// The checker is handed exactly the table's signatures (by the facade).
    @Test func checkerDeclaresTheTable() {
        let declarations = Declarations()
        for function in Library.functions {
            let declared = declarations.functions[function.name]?.overloads.map(\.id) ?? []
            #expect(declared == function.overloads.map(\.signature.id), "\(function.name)")
        }
    }

    func program(_ source: String, _ variables: [String: CELType]) throws -> Program {
        try compile(source, in: Environment(variables: variables))
    }

    func rebound(_ program: Program, to overloads: [String]) throws -> Program {
        var module = program.module
        module.functions[0].overloads = overloads
        return try Program(module: module)
    }

    /// An id this build does not implement (a custom function's, a newer library's): the
    /// call is resolved by its name instead, as an unchecked one is.
    @Test func unknownOverloadIdFallsBackToTheName() throws {
        let size = try program("size(s)", ["s": .string])
        #expect(try rebound(size, to: ["size_of_a_future_type"]).evaluate(["s": .string("abc")]).result == .success(.int(3)))
    }

    /// A module bound to an overload its arguments do not fit (it can only be made by
    /// hand): "no such overload", never a crash.
    @Test func wronglyBoundOverloadIsAnErrorValue() throws {
        let size = try program("size(s)", ["s": .string])
        let wrong = try rebound(size, to: ["size_list"])
        guard case .failure(let failure) = wrong.evaluate(["s": .string("abc")]).result else {
            Issue.record("size_list on a string evaluated")
            return
        }
        #expect("\(failure)".contains("no such overload: size(string)"))
        // An overload of another arity is not taken either: the name decides.
        #expect(try rebound(size, to: ["string_index_of_string"]).evaluate(["s": .string("abc")]).result == .success(.int(3)))
    }
}
