import SpectralSyntax

/// What a name in the AST refers to, by expression id.
public enum Reference: Sendable, Equatable {
    /// A declared input variable, by its qualified name. Set on the node where the
    /// qualified name ends (`a.b` in `a.b.c` when `a.b` is declared).
    case variable(String)
    /// A comprehension variable (iteration or accumulator).
    case local(String)
    /// A type name used as a value (`int`, `google.protobuf.Timestamp`).
    case type(String)
    /// A call to a namespaced global function written as a selection (`math.greatest(...)`).
    case function(String)
    /// A name that resolves to nothing.
    case unresolved(String)
}

/// Walks an AST with comprehension scopes and resolves every identifier, qualified
/// name and namespaced function call. Used by both the checker and the code generator,
/// so checked and unchecked compilation agree on what every name means.
struct ReferenceResolver {
    let resolver: NameResolver
    let isFunction: (String) -> Bool
    private(set) var references: [Int: Reference] = [:]
    private var locals: [String: Int] = [:]

    static let typeNames: Set<String> = [
        "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn",
        "google.protobuf.Timestamp", "google.protobuf.Duration", "optional_type",
    ]

    init(declarations: Declarations) {
        let variables = declarations.variables
        let functions = declarations.functions
        resolver = NameResolver(isVariable: { variables[$0] != nil }, container: declarations.container)
        isFunction = { functions[$0] != nil }
    }

    static func resolve(_ expr: Expr, declarations: Declarations) -> [Int: Reference] {
        var walker = ReferenceResolver(declarations: declarations)
        walker.visit(expr)
        return walker.references
    }

    private mutating func visit(_ expr: Expr) {
        switch expr.kind {
        case .literal: break
        case .ident, .select(_, _, false):
            resolveChain(expr)
        case .select(let operand, _, true):
            visit(operand)
        case .call(let function, let target, let args):
            if let target, let segments = NameResolver.segments(of: target),
               !isLocal(segments[0]),
               resolver.resolve(segments) == nil,
               let name = resolver.resolveFunction(segments.joined(separator: ".") + "." + function, isFunction: isFunction) {
                references[expr.id] = .function(name)
            } else if target == nil, function.hasPrefix("."),
                      let name = resolver.resolveFunction(function, isFunction: isFunction) {
                references[expr.id] = .function(name)
            } else if let target {
                visit(target)
            }
            args.forEach { visit($0) }
        case .list(let elements):
            elements.forEach { visit($0) }
        case .map(let entries):
            for entry in entries {
                visit(entry.key)
                visit(entry.value)
            }
        case .comprehension(let c):
            visit(c.iterRange)
            visit(c.accuInit)
            push(c.accuVar)
            push(c.iterVar)
            if let second = c.iterVar2 { push(second) }
            visit(c.loopCondition)
            visit(c.loopStep)
            if let second = c.iterVar2 { pop(second) }
            pop(c.iterVar)
            visit(c.result)
            pop(c.accuVar)
        }
    }

    private func isLocal(_ name: String) -> Bool { locals[name, default: 0] > 0 }
    private mutating func push(_ name: String) { locals[name, default: 0] += 1 }
    private mutating func pop(_ name: String) { locals[name, default: 0] -= 1 }

    /// Resolves an ident/select chain rooted at `expr`.
    private mutating func resolveChain(_ expr: Expr) {
        guard let segments = NameResolver.segments(of: expr) else {
            // A selection on something that is not a name (`l[0].f`, `f(x).g`): resolve inside it.
            if case .select(let operand, _, _) = expr.kind { visit(operand) }
            return
        }
        var nodes: [Expr] = []   // nodes[i] is the chain node ending with segment i
        var node = expr
        while true {
            nodes.insert(node, at: 0)
            if case .select(let operand, _, _) = node.kind { node = operand } else { break }
        }
        if isLocal(segments[0]) {
            references[nodes[0].id] = .local(segments[0])
            return
        }
        if let resolution = resolver.resolve(segments) {
            let consumed = segments.count - resolution.remainingSelections
            references[nodes[consumed - 1].id] = .variable(resolution.name)
            return
        }
        // Type names used as values: `int`, or the dotted `google.protobuf.Timestamp`.
        for length in stride(from: segments.count, through: 1, by: -1) {
            var name = segments[0..<length].joined(separator: ".")
            if name.hasPrefix(".") { name.removeFirst() }
            if Self.typeNames.contains(name) || NetworkExtensionDeclarations.type(named: name) != nil {
                references[nodes[length - 1].id] = .type(name)
                return
            }
        }
        references[nodes[0].id] = .unresolved(segments[0])
    }
}
