/// Named character classes: Perl (`\d \w \s`), POSIX (`[:alpha:]`) and Unicode general
/// categories (`\p{Lu}`), all as `CharacterClass` values.
///
/// General-category ranges are derived once, lazily, by scanning every scalar through
/// `Unicode.Scalar.Properties.generalCategory`, so they track the standard library's
/// Unicode version without a hand-maintained table. Script names (`\p{Greek}`) need data
/// the standard library does not expose, so they are rejected rather than approximated.
enum UnicodeClasses {
    /// Perl classes as RE2 defines them: ASCII only.
    static func perl(_ letter: Unicode.Scalar) -> CharacterClass? {
        switch letter {
        case "d": return CharacterClass([0x30...0x39])
        case "D": return CharacterClass([0x30...0x39]).inverted()
        case "w": return word
        case "W": return word.inverted()
        case "s": return space
        case "S": return space.inverted()
        default: return nil
        }
    }

    static let word = CharacterClass([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// RE2's `\s` is `[\t\n\f\r ]` (no `\v`).
    static let space = CharacterClass([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])

    static func isWordScalar(_ value: UInt32) -> Bool {
        (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
            || value == 0x5F || (value >= 0x61 && value <= 0x7A)
    }

    static func posix(_ name: String) -> CharacterClass? {
        switch name {
        case "alnum": return CharacterClass([0x30...0x39, 0x41...0x5A, 0x61...0x7A])
        case "alpha": return CharacterClass([0x41...0x5A, 0x61...0x7A])
        case "ascii": return CharacterClass([0...0x7F])
        case "blank": return CharacterClass([0x09...0x09, 0x20...0x20])
        case "cntrl": return CharacterClass([0...0x1F, 0x7F...0x7F])
        case "digit": return CharacterClass([0x30...0x39])
        case "graph": return CharacterClass([0x21...0x7E])
        case "lower": return CharacterClass([0x61...0x7A])
        case "print": return CharacterClass([0x20...0x7E])
        case "punct": return CharacterClass([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E])
        case "space": return CharacterClass([0x09...0x0D, 0x20...0x20])
        case "upper": return CharacterClass([0x41...0x5A])
        case "word": return word
        case "xdigit": return CharacterClass([0x30...0x39, 0x41...0x46, 0x61...0x66])
        default: return nil
        }
    }

    /// `Any`, a one-letter category (`L`) or a two-letter one (`Lu`).
    static func unicode(_ name: String) -> CharacterClass? {
        if name == "Any" { return .any }
        return generalCategories[name]
    }

    private static let generalCategories: [String: CharacterClass] = {
        var ranges: [String: [ClosedRange<UInt32>]] = [:]
        var current: (code: String, start: UInt32, end: UInt32)?
        for value in UInt32(0)...CharacterClass.maxScalar {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let code = abbreviation(scalar.properties.generalCategory)
            if let run = current, run.code == code, run.end &+ 1 == value {
                current = (code, run.start, value)
            } else {
                if let run = current { ranges[run.code, default: []].append(run.start...run.end) }
                current = (code, value, value)
            }
        }
        if let run = current { ranges[run.code, default: []].append(run.start...run.end) }
        var classes: [String: CharacterClass] = [:]
        var byLetter: [String: [ClosedRange<UInt32>]] = [:]
        for (code, list) in ranges {
            classes[code] = CharacterClass(list)
            byLetter[String(code.prefix(1)), default: []].append(contentsOf: list)
        }
        for (letter, list) in byLetter { classes[letter] = CharacterClass(list) }
        return classes
    }()

    private static func abbreviation(_ category: Unicode.GeneralCategory) -> String {
        switch category {
        case .uppercaseLetter: return "Lu"
        case .lowercaseLetter: return "Ll"
        case .titlecaseLetter: return "Lt"
        case .modifierLetter: return "Lm"
        case .otherLetter: return "Lo"
        case .nonspacingMark: return "Mn"
        case .spacingMark: return "Mc"
        case .enclosingMark: return "Me"
        case .decimalNumber: return "Nd"
        case .letterNumber: return "Nl"
        case .otherNumber: return "No"
        case .connectorPunctuation: return "Pc"
        case .dashPunctuation: return "Pd"
        case .openPunctuation: return "Ps"
        case .closePunctuation: return "Pe"
        case .initialPunctuation: return "Pi"
        case .finalPunctuation: return "Pf"
        case .otherPunctuation: return "Po"
        case .mathSymbol: return "Sm"
        case .currencySymbol: return "Sc"
        case .modifierSymbol: return "Sk"
        case .otherSymbol: return "So"
        case .spaceSeparator: return "Zs"
        case .lineSeparator: return "Zl"
        case .paragraphSeparator: return "Zp"
        case .control: return "Cc"
        case .format: return "Cf"
        case .surrogate: return "Cs"
        case .privateUse: return "Co"
        case .unassigned: return "Cn"
        @unknown default: return "Cn"
        }
    }
}
