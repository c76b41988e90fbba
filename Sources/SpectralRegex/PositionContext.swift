/// The facts about one text position that RE2's zero-width assertions look at.
///
/// The set-based matchers (`BitNFA`, `SetDFA`) precompute epsilon closures once per
/// distinct context instead of testing assertions while matching, so every assertion
/// must be a function of these six bits.
struct PositionContext: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    static let atStart = PositionContext(rawValue: 1 << 0)
    static let atEnd = PositionContext(rawValue: 1 << 1)
    static let afterNewline = PositionContext(rawValue: 1 << 2)
    static let beforeNewline = PositionContext(rawValue: 1 << 3)
    static let afterWord = PositionContext(rawValue: 1 << 4)
    static let beforeWord = PositionContext(rawValue: 1 << 5)

    /// The bits an assertion depends on; the others cannot change its outcome.
    static func inputs(of assertion: Assertion) -> PositionContext {
        switch assertion {
        case .beginText: return .atStart
        case .endText: return .atEnd
        case .beginLine: return [.atStart, .afterNewline]
        case .endLine: return [.atEnd, .beforeNewline]
        case .wordBoundary, .notWordBoundary: return [.afterWord, .beforeWord]
        }
    }

    /// Same rules as `PikeVM.holds`, phrased over the context bits.
    func satisfies(_ assertion: Assertion) -> Bool {
        switch assertion {
        case .beginText: return contains(.atStart)
        case .endText: return contains(.atEnd)
        case .beginLine: return contains(.atStart) || contains(.afterNewline)
        case .endLine: return contains(.atEnd) || contains(.beforeNewline)
        case .wordBoundary: return contains(.afterWord) != contains(.beforeWord)
        case .notWordBoundary: return contains(.afterWord) == contains(.beforeWord)
        }
    }

    /// The context of the position between the scalars `previous` and `next`, either
    /// of which is `UTF8Decoding.none` at the ends of the text.
    @inline(__always)
    static func between(_ previous: UInt32, _ next: UInt32) -> PositionContext {
        var bits: UInt8 = 0
        if previous == UTF8Decoding.none { bits |= atStart.rawValue }
        if next == UTF8Decoding.none { bits |= atEnd.rawValue }
        if previous == 0x0A { bits |= afterNewline.rawValue }
        if next == 0x0A { bits |= beforeNewline.rawValue }
        if UnicodeClasses.isWordScalar(previous) { bits |= afterWord.rawValue }
        if UnicodeClasses.isWordScalar(next) { bits |= beforeWord.rawValue }
        return PositionContext(rawValue: bits)
    }
}
