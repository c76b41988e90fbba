/// SQL text as `MigrationLint` reads it: statements of tokens, with comments and string
/// literals gone, so `-- never DROP this` or `DEFAULT 'drop'` cannot match a rule. Not a
/// parser: just enough lexing for PostgreSQL and SQLite migrations (line and nested block
/// comments, '' and E'\'' strings, dollar quotes, "", `` and [] quoted identifiers).
struct SQLScanner {
    struct Token: Equatable {
        enum Kind: Equatable {
            /// A keyword or unquoted identifier, as written.
            case word
            /// A quoted identifier; `text` is its name as written, never a keyword.
            case quotedIdentifier
            /// A string or dollar-quoted literal; `text` is `'…'`, whatever it held.
            case literal
            /// Any other character: `(`, `)`, `,`, `.`, `*`, …
            case symbol
        }
        var kind: Kind
        var text: String

        /// Whether this is the keyword `keyword` (given in upper case), in any case.
        func isWord(_ keyword: String) -> Bool { kind == .word && text.count == keyword.count && text.uppercased() == keyword }
        /// The name this token gives an object, for comparing names: quoted as written,
        /// unquoted folded to lower case as both databases fold them.
        var name: String? {
            switch kind {
            case .word: return text.lowercased()
            case .quotedIdentifier: return text
            case .literal, .symbol: return nil
            }
        }
    }

    /// The statements of `sql`, each its tokens without the closing `;`; empty ones dropped.
    static func statements(_ sql: String) -> [[Token]] {
        var statements: [[Token]] = []
        var current: [Token] = []
        var isTrigger = false
        for token in tokens(sql) {
            if token.kind == .symbol && token.text == ";" {
                // A SQLite trigger body holds statements of its own: it ends at `END;`.
                if isTrigger && !(current.last?.isWord("END") ?? false) {
                    current.append(token)
                    continue
                }
                if !current.isEmpty { statements.append(current) }
                current = []
                isTrigger = false
                continue
            }
            current.append(token)
            if current.count <= 4 && token.isWord("TRIGGER") && current.first?.isWord("CREATE") == true { isTrigger = true }
        }
        if !current.isEmpty { statements.append(current) }
        return statements
    }

    static func tokens(_ sql: String) -> [Token] {
        let text = Array(sql.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        func at(_ offset: Int) -> Unicode.Scalar? { index + offset < text.count ? text[index + offset] : nil }

        while index < text.count {
            let character = text[index]
            if character.properties.isWhitespace {
                index += 1
            } else if character == "-" && at(1) == "-" {
                while index < text.count && text[index] != "\n" { index += 1 }
            } else if character == "/" && at(1) == "*" {
                // PostgreSQL nests block comments; SQLite does not, but a nested opener
                // inside a SQLite comment is rare enough to read the PostgreSQL way.
                var depth = 0
                repeat {
                    if text[index] == "/" && at(1) == "*" { depth += 1; index += 2 }
                    else if text[index] == "*" && at(1) == "/" { depth -= 1; index += 2 }
                    else { index += 1 }
                } while depth > 0 && index < text.count
            } else if character == "'" {
                // E'…' (PostgreSQL): the E touches the quote, and backslashes escape.
                let backslashEscapes = (tokens.last?.isWord("E") ?? false) && (text[index - 1] == "E" || text[index - 1] == "e")
                if backslashEscapes { tokens.removeLast() }
                index = endOfQuoted(text, from: index, closing: "'", backslashEscapes: backslashEscapes)
                tokens.append(Token(kind: .literal, text: "'…'"))
            } else if character == "$", let tagEnd = dollarTagEnd(text, from: index) {
                let tag = Array(text[index...tagEnd])
                index = tagEnd + 1
                while index < text.count && !(text[index] == "$" && Array(text[index..<min(text.count, index + tag.count)]) == tag) {
                    index += 1
                }
                index = min(text.count, index + tag.count)
                tokens.append(Token(kind: .literal, text: "'…'"))
            } else if character == "\"" || character == "`" || character == "[" {
                let closing: Unicode.Scalar = character == "[" ? "]" : character
                let start = index + 1
                index = endOfQuoted(text, from: index, closing: closing, backslashEscapes: false)
                let end = max(start, index - 1)
                var name = String(String.UnicodeScalarView(text[start..<end]))
                name = name.replacingOccurrences(of: String(closing) + String(closing), with: String(closing))
                tokens.append(Token(kind: .quotedIdentifier, text: name))
            } else if isWordCharacter(character) {
                let start = index
                while index < text.count && (isWordCharacter(text[index]) || text[index] == "$") { index += 1 }
                tokens.append(Token(kind: .word, text: String(String.UnicodeScalarView(text[start..<index]))))
            } else {
                tokens.append(Token(kind: .symbol, text: String(character)))
                index += 1
            }
        }
        return tokens
    }

    private static func isWordCharacter(_ character: Unicode.Scalar) -> Bool {
        character == "_" || character.properties.isAlphabetic || ("0"..."9").contains(character)
    }

    /// The index just past the quote closing the one at `start`; a doubled closing quote
    /// is part of the text. An unterminated quote runs to the end.
    private static func endOfQuoted(_ text: [Unicode.Scalar], from start: Int, closing: Unicode.Scalar, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < text.count {
            if backslashEscapes && text[index] == "\\" { index += 2; continue }
            if text[index] == closing {
                if index + 1 < text.count && text[index + 1] == closing && closing != "]" { index += 2; continue }
                return index + 1
            }
            index += 1
        }
        return text.count
    }

    /// For `$tag$` or `$$` at `start`, the index of the tag's closing `$`; nil for a `$`
    /// that opens no dollar quote (a `$1` parameter).
    private static func dollarTagEnd(_ text: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        if index < text.count && ("0"..."9").contains(text[index]) { return nil }
        while index < text.count && isWordCharacter(text[index]) { index += 1 }
        return index < text.count && text[index] == "$" ? index : nil
    }
}
