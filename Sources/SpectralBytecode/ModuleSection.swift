/// The sections of an encoded module, by id. Every section of the module's format
/// version is required and they appear in ascending id order, each exactly once, so a
/// module has one encoding.
///
/// Ids are part of the binary format: never renumber. A section added by a later
/// version takes the next id, so it comes last and the older sections keep their layout.
enum ModuleSection: UInt8, CaseIterable {
    case constants = 1
    case names = 2
    case variables = 3
    case functions = 4
    /// Register count, then the instructions.
    case code = 5
    case spans = 6
    case costBound = 7
    /// The declared type of each variable, by slot (format version 2).
    case declarations = 8
    /// The overload ids of each function, by function slot (format version 3).
    case overloads = 9

    var label: String { String(describing: self) }

    /// The first format version that has this section.
    var since: UInt16 {
        switch self {
        case .declarations: return 2
        case .overloads: return 3
        default: return 1
        }
    }

    /// The sections a module of format `version` has, in their order.
    static func required(by version: UInt16) -> [ModuleSection] {
        allCases.filter { $0.since <= version }
    }
}

/// Tags of constant-pool entries in the `constants` section. Part of the format.
enum ConstantTag: UInt8 {
    case null = 0
    case bool = 1
    case int = 2
    case uint = 3
    case double = 4
    case string = 5
    case bytes = 6
    case type = 7
    case timestamp = 8
    case duration = 9
    case list = 10
    case map = 11
}

/// Tags of declared types in the `declarations` section, one per type constructor, its
/// parameters following. Part of the format: new constructors (object types with named
/// fields) take new tags.
enum DeclaredTypeTag: UInt8 {
    case dyn = 0
    case bool = 1
    case int = 2
    case uint = 3
    case double = 4
    case string = 5
    case bytes = 6
    case timestamp = 7
    case duration = 8
    /// Followed by the element type.
    case list = 9
    /// Followed by the key type, then the value type.
    case map = 10
    /// Followed by an `InputSchema` (format version 4).
    case schema = 11
}
