/// Checks migrations against their kind (`Migration.Kind`): an expand migration must leave
/// the previous release working on the new schema, so it may not remove, rename, retype
/// or tighten what that release reads and writes, nor delete its data; a contract migration
/// must say which release no longer needs what it removes.
///
/// It reads SQL text (comments and string literals stripped by `SQLScanner`), not a
/// database: it sees what a migration says, statement by statement. A table created by
/// the same migration is exempt from the ALTER TABLE rules: no release uses it yet.
public struct MigrationLint: Sendable {
    /// The rules, one case each, so tests and callers need not parse messages.
    public enum Rule: String, Sendable, Equatable, CaseIterable {
        /// DROP TABLE (or VIEW, SCHEMA, SEQUENCE, TYPE, DOMAIN): what the previous release reads.
        case dropTable
        /// ALTER TABLE … DROP [COLUMN].
        case dropColumn
        /// ALTER TABLE … DROP CONSTRAINT.
        case dropConstraint
        /// DROP INDEX of an index an earlier migration created UNIQUE: a constraint in all but name.
        case dropUniqueIndex
        /// ALTER TABLE … RENAME TO.
        case renameTable
        /// ALTER TABLE … RENAME [COLUMN] … TO.
        case renameColumn
        /// ALTER [COLUMN] … [SET DATA] TYPE.
        case alterColumnType
        /// ALTER [COLUMN] … SET NOT NULL.
        case setNotNull
        /// ADD [COLUMN] … NOT NULL without DEFAULT: the previous release's inserts omit it.
        case notNullColumnWithoutDefault
        /// ADD CHECK, UNIQUE, FOREIGN KEY, PRIMARY KEY or EXCLUDE to an existing table without
        /// NOT VALID (only CHECK and FOREIGN KEY can be NOT VALID), or CREATE UNIQUE INDEX on
        /// one: existing rows, and the previous release's writes, may break it.
        case constraintOnExistingTable
        /// DELETE FROM or TRUNCATE.
        case deleteData
        /// A contract migration without a release, or without what it removes.
        case contractWithoutRelease

        public var explanation: String {
            switch self {
            case .dropTable: return "drops a table (or view, schema, sequence, type) the previous release may use"
            case .dropColumn: return "drops a column the previous release may read or write"
            case .dropConstraint: return "drops a constraint"
            case .dropUniqueIndex: return "drops a unique index, which enforces a constraint"
            case .renameTable: return "renames a table the previous release uses by its old name"
            case .renameColumn: return "renames a column the previous release uses by its old name"
            case .alterColumnType: return "changes a column's type under the previous release"
            case .setNotNull: return "makes a column NOT NULL, which the previous release's writes may break"
            case .notNullColumnWithoutDefault: return "adds a NOT NULL column without a DEFAULT: the previous release's inserts omit it"
            case .constraintOnExistingTable: return "adds a constraint to an existing table without NOT VALID (only CHECK and FOREIGN KEY can be NOT VALID)"
            case .deleteData: return "deletes data (DELETE or TRUNCATE)"
            case .contractWithoutRelease: return "is a contract migration that does not name the release that no longer needs what it removes, or what it removes"
            }
        }
    }

    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public var version: Int
        public var name: String
        public var rule: Rule
        /// The offending statement, comments and literals stripped.
        public var statement: String

        public var description: String {
            "migration \(version) (\(name)) \(rule.explanation) [\(rule.rawValue)]: \(statement)"
        }
    }

    public init() {}

    /// Every finding in `migrations`, one dialect's, in version order (a DROP INDEX is
    /// judged by how an earlier migration created the index).
    public func findings(in migrations: [Migration]) -> [Finding] {
        var uniqueIndexes: Set<String> = []
        var findings: [Finding] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            var check = MigrationCheck()
            check.uniqueIndexes = uniqueIndexes
            for statement in SQLScanner.statements(migration.sql) { check.read(statement) }
            uniqueIndexes = check.uniqueIndexes
            var rules = check.broken
            switch migration.kind {
            case .expand:
                break
            case .contract(let release, let removes):
                // A contract migration may remove; it must say for whom that is safe.
                rules = []
                if release.allSatisfy(\.isWhitespace) || removes.allSatisfy(\.isWhitespace) {
                    rules.append((rule: .contractWithoutRelease, statement: ""))
                }
            }
            findings += rules.map { Finding(version: migration.version, name: migration.name, rule: $0.rule, statement: $0.statement) }
        }
        return findings
    }
}

/// The rules applied to one migration's statements, with what they need to remember: the
/// tables it creates, and the unique indexes created so far.
private struct MigrationCheck {
    typealias Token = SQLScanner.Token
    var createdTables: Set<String> = []
    var uniqueIndexes: Set<String> = []
    var broken: [(rule: MigrationLint.Rule, statement: String)] = []
    private var statement: [Token] = []

    mutating func read(_ tokens: [Token]) {
        statement = tokens
        var reader = TokenReader(tokens)
        if reader.accept("CREATE") {
            create(&reader)
        } else if reader.accept("DROP") {
            drop(&reader)
        } else if reader.accept("ALTER"), reader.accept("TABLE") {
            alterTable(&reader)
        } else if reader.accept("TRUNCATE") {
            flag(.deleteData)
        }
        if contains(["DELETE", "FROM"], in: tokens) { flag(.deleteData) }
    }

    private mutating func flag(_ rule: MigrationLint.Rule) {
        let text = statement.map { $0.kind == .quotedIdentifier ? "\"\($0.text)\"" : $0.text }.joined(separator: " ")
        broken.append((rule: rule, statement: text.count > 120 ? String(text.prefix(117)) + "…" : text))
    }

    private mutating func create(_ reader: inout TokenReader) {
        let unique = reader.accept("UNIQUE")
        _ = reader.accept("TEMP") || reader.accept("TEMPORARY") || reader.accept("UNLOGGED")
        if reader.accept("TABLE") {
            _ = reader.accept("IF", "NOT", "EXISTS")
            if let table = reader.qualifiedName() { createdTables.insert(table) }
        } else if unique, reader.accept("INDEX") {
            _ = reader.accept("CONCURRENTLY")
            _ = reader.accept("IF", "NOT", "EXISTS")
            let index = reader.peek("ON") ? nil : reader.qualifiedName()
            guard reader.accept("ON") else { return }
            _ = reader.accept("ONLY")
            if let index { uniqueIndexes.insert(index) }
            if let table = reader.qualifiedName(), !createdTables.contains(table) { flag(.constraintOnExistingTable) }
        }
    }

    private mutating func drop(_ reader: inout TokenReader) {
        if reader.accept("INDEX") {
            _ = reader.accept("CONCURRENTLY")
            _ = reader.accept("IF", "EXISTS")
            repeat {
                if let index = reader.qualifiedName(), uniqueIndexes.contains(index) { flag(.dropUniqueIndex) }
            } while reader.acceptSymbol(",")
        } else if ["TABLE", "VIEW", "MATERIALIZED", "SCHEMA", "SEQUENCE", "TYPE", "DOMAIN"].contains(where: { reader.peek($0) }) {
            flag(.dropTable)
        }
    }

    private mutating func alterTable(_ reader: inout TokenReader) {
        _ = reader.accept("IF", "EXISTS")
        _ = reader.accept("ONLY")
        guard let table = reader.qualifiedName() else { return }
        _ = reader.acceptSymbol("*")
        // No release uses a table this migration creates.
        if createdTables.contains(table) { return }
        for action in reader.remainder(splitBy: ",") { alterTableAction(action) }
    }

    private mutating func alterTableAction(_ tokens: [Token]) {
        var action = TokenReader(tokens)
        if action.accept("RENAME") {
            if action.accept("TO") { flag(.renameTable) }
            else if !action.accept("CONSTRAINT") { flag(.renameColumn) }
        } else if action.accept("DROP") {
            flag(action.accept("CONSTRAINT") ? .dropConstraint : .dropColumn)
        } else if action.accept("ALTER") {
            guard !action.accept("CONSTRAINT") else { return }
            _ = action.accept("COLUMN")
            _ = action.name()
            if action.accept("TYPE") || action.accept("SET", "DATA", "TYPE") { flag(.alterColumnType) }
            else if action.accept("SET", "NOT", "NULL") { flag(.setNotNull) }
        } else if action.accept("ADD") {
            if action.accept("CONSTRAINT") { _ = action.name() }
            let validatedLater = contains(["NOT", "VALID"], in: tokens)
            if action.accept("CHECK") || action.accept("FOREIGN") {
                if !validatedLater { flag(.constraintOnExistingTable) }
            } else if action.accept("UNIQUE") || action.accept("PRIMARY") || action.accept("EXCLUDE") {
                flag(.constraintOnExistingTable)
            } else if contains(["NOT", "NULL"], in: tokens) && !tokens.contains(where: { $0.isWord("DEFAULT") }) {
                flag(.notNullColumnWithoutDefault)
            }
        }
    }

    private func contains(_ words: [String], in tokens: [Token]) -> Bool {
        guard tokens.count >= words.count else { return false }
        return (0...(tokens.count - words.count)).contains { start in
            words.indices.allSatisfy { tokens[start + $0].isWord(words[$0]) }
        }
    }
}

/// Reads a statement's tokens front to back.
private struct TokenReader {
    typealias Token = SQLScanner.Token
    private let tokens: [Token]
    private var index = 0

    init(_ tokens: [Token]) { self.tokens = tokens }

    func peek(_ word: String) -> Bool { index < tokens.count && tokens[index].isWord(word) }

    /// Consumes `words` if the next tokens are exactly them.
    mutating func accept(_ words: String...) -> Bool {
        guard index + words.count <= tokens.count,
              words.indices.allSatisfy({ tokens[index + $0].isWord(words[$0]) }) else { return false }
        index += words.count
        return true
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        guard index < tokens.count, tokens[index].kind == .symbol, tokens[index].text == symbol else { return false }
        index += 1
        return true
    }

    mutating func name() -> String? {
        guard index < tokens.count, let name = tokens[index].name else { return nil }
        index += 1
        return name
    }

    /// `name` or `schema.name`: the last part, so `spectral.outbox` and `outbox` compare equal.
    mutating func qualifiedName() -> String? {
        var last = name()
        while last != nil, acceptSymbol(".") { last = name() }
        return last
    }

    /// The tokens left, split at `separator` outside parentheses.
    mutating func remainder(splitBy separator: String) -> [[Token]] {
        var parts: [[Token]] = [[]]
        var depth = 0
        for token in tokens[index...] {
            if token.kind == .symbol {
                if token.text == "(" { depth += 1 }
                if token.text == ")" { depth -= 1 }
                if token.text == separator && depth == 0 { parts.append([]); continue }
            }
            parts[parts.count - 1].append(token)
        }
        index = tokens.count
        return parts.filter { !$0.isEmpty }
    }
}
