/// (filled in by a later change)
enum StringsExtension {
    static func register(_ r: inout Registry) {}
}
