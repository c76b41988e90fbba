/// Splits a migration script into statements for PostgreSQL's extended protocol, which
/// takes one statement per query. Knows `--` comments and single-quoted strings, which is
/// all our migrations use; dollar quoting is not supported (and is rejected).
enum SQLStatements {
    static func split(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inString = false
        var inComment = false
        var previous: Character = " "
        for character in script {
            if inComment {
                if character == "\n" { inComment = false; current.append(character) }
                previous = character
                continue
            }
            if !inString && character == "-" && previous == "-" {
                current.removeLast()
                inComment = true
                previous = " "
                continue
            }
            if character == "'" { inString.toggle() }
            if character == ";" && !inString {
                appendTrimmed(current, to: &statements)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        appendTrimmed(current, to: &statements)
        return statements
    }

    private static func appendTrimmed(_ text: String, to statements: inout [String]) {
        let trimmed = text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        if !trimmed.isEmpty { statements.append(String(trimmed)) }
    }
}
