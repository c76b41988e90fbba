/// A compiled predicate: everything the interpreter needs, and nothing it must trust
/// before `Verifier.verify` has accepted it. `ModuleEncoder`/`ModuleDecoder` turn it
/// into bytes and back exactly.
public struct Module: Hashable, Sendable {
    /// Magic bytes at the start of every encoded module: "SPBC".
    public static let magic: [UInt8] = [0x53, 0x50, 0x42, 0x43]
    /// The binary format version this build writes.
    ///
    /// 1: variables by name only. 2: adds the `declarations` section (each variable's
    /// declared type), so a loaded module binds its JSON input without outside help.
    /// 3: adds the `overloads` section (the overloads the checker left for each called
    /// function), so a loaded module calls them without looking the name up again.
    /// 4: a declared type may be a JSON Schema (`DeclaredType.schema`), so the binder
    /// validates input against it and binds each field as the checker typed it.
    public static let formatVersion: UInt16 = 4
    /// The versions this build reads. A version-1 module decodes with every variable
    /// declared `dyn` (how it bound without outside help); `declaring(_:)` upgrades it.
    public static let readableVersions: ClosedRange<UInt16> = 1...formatVersion

    public var constants: [Constant]
    /// Field names used by `select` and `has`.
    public var names: [String]
    /// Input variables, by slot; the evaluator binds them by name.
    public var variables: [String]
    /// The declared type of each variable, by slot (as many as `variables`, which the
    /// verifier checks): how its JSON value is bound. Only the variables the code reads
    /// have a slot, so only their declarations are carried.
    public var declarations: [DeclaredType]
    /// Functions called by `call`, resolved against the standard library when loaded:
    /// by their overload ids when the checker left some, else by name.
    public var functions: [FunctionRef]
    /// Registers one evaluation uses (iterator pairs included).
    public var registerCount: UInt16
    public var code: [Instruction]
    /// Source span of each instruction (same count as `code`), for error locations.
    public var spans: [SourceRange]
    /// Static upper bound of the fuel one evaluation can use; `UInt64.max` when unbounded
    /// (a comprehension over input of unknown size).
    public var costBound: UInt64

    /// `declarations` defaults to `dyn` for every variable.
    public init(constants: [Constant] = [], names: [String] = [], variables: [String] = [],
                declarations: [DeclaredType]? = nil,
                functions: [FunctionRef] = [], registerCount: UInt16 = 0, code: [Instruction] = [],
                spans: [SourceRange] = [], costBound: UInt64 = 0) {
        self.constants = constants
        self.names = names
        self.variables = variables
        self.declarations = declarations ?? Array(repeating: .dyn, count: variables.count)
        self.functions = functions
        self.registerCount = registerCount
        self.code = code
        self.spans = spans
        self.costBound = costBound
    }
}

/// A called function: its name, its argument count (a receiver counts as the first
/// argument), whether it was called as `target.name(...)`, and the ids of the overloads
/// the checker resolved the call to (format version 3).
///
/// One overload id: the loader binds the call to that implementation. Several (an
/// argument typed `dyn`): the call picks among them by its arguments' runtime kinds.
/// None (an unchecked program, or a module stored before version 3): the loader finds
/// the candidates by name, arity and call style, once.
public struct FunctionRef: Hashable, Sendable {
    public var name: String
    public var arity: UInt8
    public var receiver: Bool
    public var overloads: [String]

    public init(name: String, arity: UInt8, receiver: Bool, overloads: [String] = []) {
        self.name = name
        self.arity = arity
        self.receiver = receiver
        self.overloads = overloads
    }
}

/// A span of source text by UTF-8 byte offsets; `start == -1` when unknown.
/// (The bytecode layer does not depend on the syntax layer, hence its own type.)
public struct SourceRange: Hashable, Sendable {
    public var start: Int32
    public var end: Int32

    public init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }

    public static let unknown = SourceRange(start: -1, end: -1)
}
