/// Bracketed classes (`[a-z]`, `[[:alpha:]]`) and backslash escapes, split from
/// `PatternParser.swift` to keep each file readable.
extension PatternParser {
    // MARK: - Bracketed classes

    mutating func parseClass(_ flags: Flags) throws(PatternError) -> RegexNode {
        let start = pos
        pos += 1
        var negated = false
        if peek(0) == "^" {
            negated = true
            pos += 1
        }
        // Items are collected as raw ranges and canonicalized (and case-folded) once at
        // the end, so a class with n items costs O(n log n), not O(n^2).
        var positive: [ClosedRange<UInt32>] = []
        // Negated items (`\W`, `[:^alpha:]`) must be folded before being negated, so
        // they are resolved one by one.
        var negatedItems: [ClosedRange<UInt32>] = []
        func add(_ cls: CharacterClass, negated: Bool) {
            if negated {
                negatedItems.append(contentsOf: Self.applying(flags, to: cls, negated: true).ranges)
            } else {
                positive.append(contentsOf: cls.ranges)
            }
        }
        var first = true
        while true {
            guard pos < scalars.count else { throw PatternError("missing closing ]", at: start) }
            let itemStart = pos
            let c = scalars[pos]
            if c == "]" && !first {
                pos += 1
                break
            }
            first = false
            if c == "[", peek(1) == ":", let (cls, neg) = try parsePOSIXClass() {
                add(cls, negated: neg)
                continue
            }
            let low: UInt32
            if c == "\\" {
                switch try parseEscape(inClass: true) {
                case .scalar(let v): low = v
                case .set(let cls, let neg):
                    add(cls, negated: neg)
                    continue
                default:
                    throw PatternError("invalid escape sequence in character class", at: itemStart)
                }
            } else {
                low = c.value
                pos += 1
            }
            var high = low
            // `-` makes a range unless it is the last thing before `]`.
            if peek(0) == "-", let after = peek(1), after != "]" {
                pos += 1
                if after == "\\" {
                    guard case .scalar(let v) = try parseEscape(inClass: true) else {
                        throw PatternError("invalid character class range", at: itemStart)
                    }
                    high = v
                } else {
                    high = after.value
                    pos += 1
                }
                if high < low { throw PatternError("invalid character class range: end is before start", at: itemStart) }
            }
            positive.append(low...high)
        }
        var members = CharacterClass(positive)
        if flags.caseInsensitive { members = members.caseFolded() }
        if !negatedItems.isEmpty { members.formUnion(CharacterClass(negatedItems)) }
        return .charClass(negated ? members.inverted() : members)
    }

    /// Parses `[:name:]` or `[:^name:]` at `pos`. Returns nil (consuming nothing) when
    /// there is no closing `:]`, in which case `[` is an ordinary member.
    fileprivate mutating func parsePOSIXClass() throws(PatternError) -> (CharacterClass, Bool)? {
        let start = pos
        var i = pos + 2
        var negated = false
        if i < scalars.count, scalars[i] == "^" {
            negated = true
            i += 1
        }
        var name = String.UnicodeScalarView()
        while i + 1 < scalars.count, !(scalars[i] == ":" && scalars[i + 1] == "]") {
            name.append(scalars[i])
            i += 1
        }
        guard i + 1 < scalars.count else { return nil }
        guard let cls = UnicodeClasses.posix(String(name)) else {
            throw PatternError("invalid POSIX character class [:\(String(name)):]", at: start)
        }
        pos = i + 2
        return (cls, negated)
    }

    // MARK: - Escapes

    enum Escape {
        case scalar(UInt32)
        /// A class plus whether the escape negates it (`\D`, `\P...`); negation is applied
        /// after case folding.
        case set(CharacterClass, negated: Bool)
        case assertion(Assertion)
        /// `\Q...\E` text.
        case quoted([UInt32])
    }

    /// Parses an escape starting at the backslash.
    mutating func parseEscape(inClass: Bool) throws(PatternError) -> Escape? {
        let start = pos
        pos += 1
        guard pos < scalars.count else { throw PatternError("trailing backslash at end of pattern", at: start) }
        let c = scalars[pos]
        pos += 1
        switch c {
        case "a": return .scalar(0x07)
        case "f": return .scalar(0x0C)
        case "t": return .scalar(0x09)
        case "n": return .scalar(0x0A)
        case "r": return .scalar(0x0D)
        case "v": return .scalar(0x0B)
        case "d", "s", "w":
            return UnicodeClasses.perl(c).map { .set($0, negated: false) }
        case "D", "S", "W":
            let lower = Unicode.Scalar(c.value + 0x20) ?? c
            return UnicodeClasses.perl(lower).map { .set($0, negated: true) }
        case "p", "P":
            return try parseUnicodeClass(negated: c == "P", escapeStart: start)
        case "x":
            return .scalar(try parseHex(escapeStart: start))
        case "0"..."7":
            // `\1`..`\7` alone would be a backreference; RE2 only reads them as octal
            // when another octal digit follows. `\0` is always octal.
            if c != "0", !(peek(0).map(Self.isOctal) ?? false) {
                throw PatternError("backreferences are not supported", at: start)
            }
            var value = c.value - 0x30
            for _ in 0..<2 {
                guard let d = peek(0), Self.isOctal(d) else { break }
                value = value * 8 + (d.value - 0x30)
                pos += 1
            }
            return .scalar(value)
        case "8", "9":
            throw PatternError("backreferences are not supported", at: start)
        case "A", "z", "b", "B":
            if inClass { throw PatternError("invalid escape sequence \\\(c) in character class", at: start) }
            switch c {
            case "A": return .assertion(.beginText)
            case "z": return .assertion(.endText)
            case "b": return .assertion(.wordBoundary)
            default: return .assertion(.notWordBoundary)
            }
        case "Q":
            if inClass { throw PatternError("\\Q...\\E is not supported in a character class", at: start) }
            var values: [UInt32] = []
            while pos < scalars.count {
                if scalars[pos] == "\\", peek(1) == "E" {
                    pos += 2
                    break
                }
                values.append(scalars[pos].value)
                pos += 1
            }
            return .quoted(values)
        case "E":
            return .quoted([])  // a stray \E ends nothing; RE2 ignores it
        default:
            // Any escaped ASCII punctuation or space stands for itself.
            if c.value < 0x80 && !Self.isAlphanumeric(c) {
                return .scalar(c.value)
            }
            throw PatternError("invalid escape sequence \\\(c)", at: start)
        }
    }

    fileprivate static func isOctal(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x37 }

    fileprivate static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }

    fileprivate static func hexValue(_ s: Unicode.Scalar) -> UInt32? {
        switch s.value {
        case 0x30...0x39: return s.value - 0x30
        case 0x41...0x46: return s.value - 0x41 + 10
        case 0x61...0x66: return s.value - 0x61 + 10
        default: return nil
        }
    }

    /// `\xHH` or `\x{H...}`, after the `x`.
    fileprivate mutating func parseHex(escapeStart: Int) throws(PatternError) -> UInt32 {
        if peek(0) == "{" {
            pos += 1
            var value: UInt32 = 0
            var digits = 0
            while let s = peek(0), let h = Self.hexValue(s) {
                value = min(value &* 16 &+ h, 0x11_0000)  // saturate past the maximum
                digits += 1
                pos += 1
            }
            guard digits > 0, peek(0) == "}" else {
                throw PatternError("invalid hexadecimal escape: expected \\x{hex digits}", at: escapeStart)
            }
            pos += 1
            guard Unicode.Scalar(value) != nil else {
                throw PatternError("invalid hexadecimal escape: not a Unicode scalar value", at: escapeStart)
            }
            return value
        }
        guard let a = peek(0).flatMap(Self.hexValue), let b = peek(1).flatMap(Self.hexValue) else {
            throw PatternError("invalid hexadecimal escape: expected two hex digits", at: escapeStart)
        }
        pos += 2
        return a * 16 + b
    }

    /// `\pL`, `\p{Lu}`, `\p{^L}`, `\PL`, after the `p`/`P`.
    fileprivate mutating func parseUnicodeClass(negated: Bool, escapeStart: Int) throws(PatternError) -> Escape {
        guard let first = peek(0) else { throw PatternError("missing Unicode class name after \\p", at: escapeStart) }
        var name: String
        if first == "{" {
            var text = String.UnicodeScalarView()
            pos += 1
            while let s = peek(0), s != "}" {
                text.append(s)
                pos += 1
            }
            guard peek(0) == "}" else { throw PatternError("missing closing } in Unicode class", at: escapeStart) }
            pos += 1
            name = String(text)
        } else {
            name = String(first)
            pos += 1
        }
        var negate = negated
        if name.hasPrefix("^") {
            negate.toggle()
            name.removeFirst()
        }
        guard let cls = UnicodeClasses.unicode(name) else {
            throw PatternError("unsupported Unicode class '\(name)': only general categories (L, Lu, N, Nd, P, S, Z, ...) and Any are available", at: escapeStart)
        }
        return .set(cls, negated: negate)
    }
}
