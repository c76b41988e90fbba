/// What the binder should make of a JSON value, from the variable's declared type.
/// `dyn` follows the default mapping (integers → int, or uint above the int range;
/// other numbers → double; objects → maps; arrays → lists).
public indirect enum InputShape: Sendable, Equatable {
    case dyn
    case int
    case uint
    case double
    case string
    case bool
    case bytes
    case timestamp
    case duration
    case list(InputShape)
    case map(InputShape)
}
