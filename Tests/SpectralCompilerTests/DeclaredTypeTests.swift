import SpectralBytecode
import SpectralCompiler
import SpectralSyntax
import Testing

/// The declarations the code generator writes into a module, and the mapping between
/// `CELType` and the module's `DeclaredType`.
@Suite struct DeclaredTypeTests {
    func module(_ source: String, _ variables: [String: CELType], checked: Bool = true) throws -> Module {
        let expr = try Parser.parse(source)
        let declarations = Declarations(variables: variables)
        let checkedExpr = checked ? try Checker.check(expr, declarations: declarations)
                                  : Checker.resolveOnly(expr, declarations: declarations)
        return try CodeGenerator.generate(checkedExpr)
    }

    @Test func eachReadVariableCarriesItsDeclaredType() throws {
        let m = try module("amount > 1000.0 && customer.tier in ['gold']",
                           ["amount": .double, "customer": .map(.string, .dyn)])
        #expect(m.variables == ["amount", "customer"])
        #expect(m.declarations == [.double, .map(key: .string, value: .dyn)])
        try Verifier.verify(m)
    }

    /// A declared variable the source never reads has no slot, so no declaration.
    @Test func unreadDeclarationsAreNotCarried() throws {
        let m = try module("x + 1 > 2", ["x": .int, "unused": .string, "other": .list(.double)])
        #expect(m.variables == ["x"])
        #expect(m.declarations == [.int])
        #expect(try module("true", ["unused": .string]).declarations.isEmpty)
    }

    /// Unchecked compilation still writes the declarations; undeclared names are `dyn`.
    @Test func uncheckedModulesCarryDeclarationsToo() throws {
        let m = try module("t > timestamp('2020-01-01T00:00:00Z') || y", ["t": .timestamp], checked: false)
        #expect(m.variables == ["t", "y"])
        #expect(m.declarations == [.timestamp, .dyn])
    }

    @Test(arguments: [
        (CELType.dyn, DeclaredType.dyn), (.bool, .bool), (.int, .int), (.uint, .uint), (.double, .double),
        (.string, .string), (.bytes, .bytes), (.timestamp, .timestamp), (.duration, .duration),
        (.list(.int), .list(.int)), (.map(.string, .list(.uint)), .map(key: .string, value: .list(.uint))),
        (.map(.int, .dyn), .map(key: .int, value: .dyn)),
    ])
    func mapsBothWays(_ cel: CELType, _ declared: DeclaredType) {
        #expect(cel.declaredType == declared)
        #expect(CELType(declared) == cel)
    }

    /// Types JSON input cannot be declared as bind like `dyn`, so they are declared `dyn`.
    @Test func otherTypesAreDyn() {
        #expect(CELType.null.declaredType == .dyn)
        #expect(CELType.type(.int).declaredType == .dyn)
        #expect(CELType.abstract("optional_type", [.int]).declaredType == .dyn)
        #expect(CELType.list(.null).declaredType == .list(.dyn))
    }

    /// Deeper than the format carries (and than JSON input can nest), the rest is `dyn`.
    @Test func nestingBeyondTheLimitBecomesDyn() throws {
        var deep: CELType = .int
        for _ in 0..<100 { deep = .list(deep) }
        let declared = deep.declaredType
        #expect(declared.depth == DeclaredType.maxDepth)
        var innermost = declared
        while case .list(let element) = innermost { innermost = element }
        #expect(innermost == .dyn)
        let m = try module("size(x) > 0", ["x": deep])
        try Verifier.verify(m)
        #expect(try ModuleDecoder.decode(ModuleEncoder.encode(m)) == m)
    }

    @Test func descriptionIsDeclarationText() throws {
        let text = "map(string, list(timestamp))"
        let declared = DeclaredType.map(key: .string, value: .list(.timestamp))
        #expect(declared.description == text)
        #expect(try CELType.parse(text).declaredType == declared)
    }
}
