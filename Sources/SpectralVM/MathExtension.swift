/// (filled in by a later change)
enum MathExtension {
    static func register(_ r: inout Registry) {}
}
