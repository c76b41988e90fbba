/// The sections of an encoded module, by id. Every section is required and they
/// appear in ascending id order, each exactly once, so a module has one encoding.
///
/// Ids are part of the binary format: never renumber.
enum ModuleSection: UInt8, CaseIterable {
    case constants = 1
    case names = 2
    case variables = 3
    case functions = 4
    /// Register count, then the instructions.
    case code = 5
    case spans = 6
    case costBound = 7

    var label: String { String(describing: self) }
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
