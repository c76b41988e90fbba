/// Turns RE2 syntax into a `RegexNode` tree.
///
/// A hand-written recursive-descent parser over the pattern's Unicode scalars. Recursion
/// only happens at parentheses, and their nesting is capped, so no pattern can exhaust
/// the stack. Everything RE2 rejects that other dialects accept (backreferences,
/// lookaround, possessive repeats) gets a specific message rather than a generic one.
struct PatternParser {
    /// RE2's limit on `{n,m}` counts.
    static let maxRepeatCount = 1000
    /// Parenthesis nesting limit; keeps parser and compiler recursion shallow.
    static let maxNestingDepth = 250
    /// Keeps capture bookkeeping (slots per thread) bounded.
    static let maxCaptureGroups = 1000

    struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotAll = false
        var ungreedy = false
    }

    private let scalars: [Unicode.Scalar]
    private var pos = 0
    private var depth = 0
    private(set) var captureCount = 0
    private(set) var groupNames: [String: Int] = [:]

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    mutating func parse() throws(PatternError) -> RegexNode {
        let node = try parseAlternation(flags: Flags())
        if pos < scalars.count {
            // parseAlternation stops only at the end or at a ')' it does not own.
            throw PatternError("unexpected ): no group is open", at: pos)
        }
        return node
    }

    // MARK: - Alternation, concatenation, repetition

    /// Parses up to an unmatched `)` or the end, without consuming the `)`.
    /// `flags` is copied: `(?i)` inside a group lasts until that group closes.
    private mutating func parseAlternation(flags initial: Flags) throws(PatternError) -> RegexNode {
        var flags = initial
        var branches: [RegexNode] = []
        var items: [RegexNode] = []
        // Whether the last thing parsed can take a repetition operator, and whether it
        // already is one (RE2 rejects `a**` and possessive `a*+`).
        var canRepeat = false
        var lastWasRepeat = false

        loop: while pos < scalars.count {
            let start = pos
            switch scalars[pos] {
            case "|":
                branches.append(Self.concatenation(items))
                items = []
                pos += 1
                canRepeat = false
                lastWasRepeat = false
            case ")":
                break loop
            case "*", "+", "?", "{":
                var bounds: (min: Int, max: Int?)
                switch scalars[pos] {
                case "*": bounds = (0, nil); pos += 1
                case "+": bounds = (1, nil); pos += 1
                case "?": bounds = (0, 1); pos += 1
                default:
                    guard let braces = try parseBraces() else {
                        // Not a valid `{n,m}`: RE2 treats the brace as a literal.
                        items.append(literal(0x7B, flags))
                        pos += 1
                        canRepeat = true
                        lastWasRepeat = false
                        continue loop
                    }
                    bounds = braces
                }
                if lastWasRepeat {
                    throw PatternError("invalid nested repetition operator (possessive and stacked repeats are not supported)", at: start)
                }
                guard canRepeat, let operand = items.popLast() else {
                    throw PatternError("missing argument to repetition operator", at: start)
                }
                var lazy = false
                if pos < scalars.count, scalars[pos] == "?" {
                    lazy = true
                    pos += 1
                }
                items.append(.repeat(operand, min: bounds.min, max: bounds.max, greedy: lazy == flags.ungreedy))
                lastWasRepeat = true
            default:
                lastWasRepeat = false
                if let node = try parseAtom(&flags) {
                    items.append(contentsOf: node)
                    canRepeat = !node.isEmpty
                } else {
                    canRepeat = false
                }
            }
        }
        branches.append(Self.concatenation(items))
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private static func concatenation(_ items: [RegexNode]) -> RegexNode {
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at `pos`. Returns nil (consuming nothing) when
    /// the text is not in that form, because RE2 then reads `{` literally.
    private mutating func parseBraces() throws(PatternError) -> (min: Int, max: Int?)? {
        let start = pos
        var i = pos + 1
        func number() -> Int? {
            var value = 0
            var digits = 0
            while i < scalars.count, let d = Self.digit(scalars[i]) {
                value = min(value * 10 + d, 100_000)  // saturate; anything this big is an error anyway
                digits += 1
                i += 1
            }
            return digits > 0 ? value : nil
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if i < scalars.count, scalars[i] == "," {
            i += 1
            high = number()  // nil: unbounded
        }
        guard i < scalars.count, scalars[i] == "}" else { return nil }
        pos = i + 1
        if low > Self.maxRepeatCount || (high ?? 0) > Self.maxRepeatCount {
            throw PatternError("invalid repeat count: at most \(Self.maxRepeatCount) is allowed", at: start)
        }
        if let high, high < low {
            throw PatternError("invalid repeat count: maximum is less than minimum", at: start)
        }
        return (low, high)
    }

    private static func digit(_ s: Unicode.Scalar) -> Int? {
        s.value >= 0x30 && s.value <= 0x39 ? Int(s.value - 0x30) : nil
    }

    // MARK: - Atoms

    /// Parses one atom. Returns nil for a flag-setting group such as `(?i)`, which
    /// produces nothing; returns several nodes for `\Q...\E`.
    private mutating func parseAtom(_ flags: inout Flags) throws(PatternError) -> [RegexNode]? {
        let c = scalars[pos]
        switch c {
        case "(":
            return try parseGroup(&flags).map { [$0] }
        case "[":
            return [try parseClass(flags)]
        case ".":
            pos += 1
            return [.charClass(flags.dotAll ? .any : .anyExceptNewline)]
        case "^":
            pos += 1
            return [.assertion(flags.multiLine ? .beginLine : .beginText)]
        case "$":
            pos += 1
            return [.assertion(flags.multiLine ? .endLine : .endText)]
        case "\\":
            let start = pos
            switch try parseEscape(inClass: false) {
            case .scalar(let v): return [literal(v, flags)]
            case .set(let cls, let negated): return [.charClass(Self.applying(flags, to: cls, negated: negated))]
            case .assertion(let a): return [.assertion(a)]
            case .quoted(let values): return values.map { literal($0, flags) }
            case .none: throw PatternError("invalid escape sequence", at: start)
            }
        default:
            pos += 1
            return [literal(c.value, flags)]
        }
    }

    /// A literal scalar; under `(?i)` the class of its case-equivalents.
    private func literal(_ value: UInt32, _ flags: Flags) -> RegexNode {
        if flags.caseInsensitive {
            let equivalents = CaseFolding.equivalents(of: value)
            if equivalents.count > 1 { return .charClass(CharacterClass(equivalents.map { $0...$0 })) }
        }
        return .literal(value)
    }

    /// Folds then negates, as RE2 does, so `(?i)\W` does not pick up `k` via KELVIN SIGN.
    private static func applying(_ flags: Flags, to cls: CharacterClass, negated: Bool) -> CharacterClass {
        let folded = flags.caseInsensitive ? cls.caseFolded() : cls
        return negated ? folded.inverted() : folded
    }

    // MARK: - Groups

    /// Parses a parenthesized construct starting at `(`. Returns nil for `(?flags)`,
    /// which instead updates `flags` for the rest of the enclosing group.
    private mutating func parseGroup(_ flags: inout Flags) throws(PatternError) -> RegexNode? {
        let start = pos
        pos += 1
        var inner = flags
        var capture: Int?
        var name: String?
        let plain = peek(0) != "?"

        if !plain {
            if (peek(1) == "P" && peek(2) == "<") || (peek(1) == "<" && peek(2) != "=" && peek(2) != "!") {
                pos += peek(1) == "P" ? 3 : 2
                name = try parseGroupName(groupStart: start)
            } else if peek(1) == "=" || peek(1) == "!" || (peek(1) == "<" && (peek(2) == "=" || peek(2) == "!")) {
                throw PatternError("lookaround assertions are not supported", at: start)
            } else if peek(1) == "P" && (peek(2) == "=" || peek(2) == ">") {
                throw PatternError("backreferences and recursion are not supported", at: start)
            } else {
                pos += 1
                let scoped = try parseFlags(&inner, groupStart: start)
                if !scoped {
                    flags = inner  // `(?i)`: applies to the rest of the enclosing group
                    return nil
                }
            }
        }
        if let name {
            capture = try newCapture(at: start)
            if groupNames[name] != nil { throw PatternError("duplicate capture group name '\(name)'", at: start) }
            groupNames[name] = capture
        } else if plain {
            // A plain `(`; `(?:` and `(?flags:` groups do not capture.
            capture = try newCapture(at: start)
        }

        depth += 1
        if depth > Self.maxNestingDepth {
            throw PatternError("pattern nests parentheses too deeply (limit \(Self.maxNestingDepth))", at: start)
        }
        let body = try parseAlternation(flags: inner)
        depth -= 1
        guard pos < scalars.count, scalars[pos] == ")" else {
            throw PatternError("missing closing )", at: start)
        }
        pos += 1
        return .group(body, capture: capture)
    }

    private mutating func newCapture(at offset: Int) throws(PatternError) -> Int {
        captureCount += 1
        if captureCount > Self.maxCaptureGroups {
            throw PatternError("too many capture groups (limit \(Self.maxCaptureGroups))", at: offset)
        }
        return captureCount
    }

    /// Reads `name>`; RE2 names are word characters.
    private mutating func parseGroupName(groupStart: Int) throws(PatternError) -> String {
        var name = String.UnicodeScalarView()
        while pos < scalars.count, scalars[pos] != ">" {
            let s = scalars[pos]
            guard UnicodeClasses.isWordScalar(s.value) else {
                throw PatternError("invalid capture group name", at: pos)
            }
            name.append(s)
            pos += 1
        }
        guard pos < scalars.count else { throw PatternError("missing > after capture group name", at: groupStart) }
        guard !name.isEmpty else { throw PatternError("empty capture group name", at: groupStart) }
        pos += 1
        return String(name)
    }

    /// Parses the flag letters after `(?`, through `)` or `:`. Returns true for a scoped
    /// group `(?flags:...)`, false for a bare `(?flags)`.
    private mutating func parseFlags(_ flags: inout Flags, groupStart: Int) throws(PatternError) -> Bool {
        var negate = false
        var sawFlag = false
        var sawFlagAfterMinus = false
        while pos < scalars.count {
            let c = scalars[pos]
            pos += 1
            switch c {
            case "i": flags.caseInsensitive = !negate
            case "m": flags.multiLine = !negate
            case "s": flags.dotAll = !negate
            case "U": flags.ungreedy = !negate
            case "-":
                if negate { throw PatternError("invalid flag group: repeated '-'", at: groupStart) }
                negate = true
                continue
            case ":", ")":
                if negate && !sawFlagAfterMinus {
                    throw PatternError("invalid flag group: '-' must be followed by a flag", at: groupStart)
                }
                if c == ")" && !sawFlag {
                    throw PatternError("invalid or unsupported group syntax '(?)'", at: groupStart)
                }
                return c == ":"
            default:
                throw PatternError("invalid or unsupported group syntax: unknown flag '\(c)'", at: pos - 1)
            }
            sawFlag = true
            if negate { sawFlagAfterMinus = true }
        }
        throw PatternError("missing closing ) after flags", at: groupStart)
    }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        let i = pos + offset
        return i >= 0 && i < scalars.count ? scalars[i] : nil
    }

    // MARK: - Bracketed classes

    private mutating func parseClass(_ flags: Flags) throws(PatternError) -> RegexNode {
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
    private mutating func parsePOSIXClass() throws(PatternError) -> (CharacterClass, Bool)? {
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
    private mutating func parseEscape(inClass: Bool) throws(PatternError) -> Escape? {
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

    private static func isOctal(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x37 }

    private static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }

    private static func hexValue(_ s: Unicode.Scalar) -> UInt32? {
        switch s.value {
        case 0x30...0x39: return s.value - 0x30
        case 0x41...0x46: return s.value - 0x41 + 10
        case 0x61...0x66: return s.value - 0x61 + 10
        default: return nil
        }
    }

    /// `\xHH` or `\x{H...}`, after the `x`.
    private mutating func parseHex(escapeStart: Int) throws(PatternError) -> UInt32 {
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
    private mutating func parseUnicodeClass(negated: Bool, escapeStart: Int) throws(PatternError) -> Escape {
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
