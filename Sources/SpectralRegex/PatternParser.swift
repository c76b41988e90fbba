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

    let scalars: [Unicode.Scalar]
    var pos = 0
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
    static func applying(_ flags: Flags, to cls: CharacterClass, negated: Bool) -> CharacterClass {
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

    func peek(_ offset: Int) -> Unicode.Scalar? {
        let i = pos + offset
        return i >= 0 && i < scalars.count ? scalars[i] : nil
    }
}
