import ArgumentParser
import Foundation
import SpectralCatalog
import SpectralJSON
import SpectralStore
import SpectralTime

/// `spectral decisions list|show`: the decision log, read from the store as the other
/// operator commands read it (no API process needed, and no key: whoever can open the
/// store can read it anyway).
struct DecisionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions",
        abstract: "List and show logged decisions (the decision log the API writes with --decision-log).",
        subcommands: [List.self, Show.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Logged decisions, newest first, a page at a time.",
            discussion: "The last line names the cursor for the next page (pass it as --cursor); with --json the page is GET /v1/decisions' answer.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only this predicate's decisions.") var predicate: String?
        @Option(help: "Only this version (needs --predicate).") var version: Int?
        @Option(help: ArgumentHelp("Only decisions made at or after this RFC 3339 time.", valueName: "time")) var since: String?
        @Option(help: ArgumentHelp("Only decisions made before this RFC 3339 time.", valueName: "time")) var until: String?
        @Option(help: ArgumentHelp("decided, failed, true, false, or an error code (invalid_input, evaluation_error, …).", valueName: "outcome"))
        var outcome: String?
        @Flag(help: "Only shadow versions' decisions that disagreed with a live one (each names it).") var shadow = false
        @Option(help: "Decisions per page, 1 to 500.") var limit = 50
        @Option(help: ArgumentHelp("The next-page cursor a previous listing printed.", valueName: "id")) var cursor: String?
        @Flag(help: "Print the page as JSON.") var json = false

        func run() async throws {
            let (filter, after) = try parsed()
            LogSetup.bootstrap()
            let page = try await store.withStore(logger: LogSetup.logger("decisions")) {
                try await $0.decisions(matching: filter, limit: limit, after: after)
            }
            if json {
                print(JSONValue.object([
                    ("decisions", .array(page.records.map(\.jsonValue))),
                    ("next_cursor", page.nextCursor.map { .string($0.text) } ?? .null),
                ]).serialized())
                return
            }
            for record in page.records { print(record.line) }
            if page.records.isEmpty { print("no decisions") }
            if let next = page.nextCursor { print("more: --cursor \(next.text)") }
        }

        /// The filter and cursor, every bad value a usage error that says what is accepted.
        func parsed() throws -> (DecisionLogFilter, DecisionID?) {
            var filter = DecisionLogFilter()
            if let predicate {
                guard PredicateDefinition.isValidName(predicate) else { throw ValidationError("--predicate '\(predicate)' is not a predicate name") }
                filter.predicate = predicate
            }
            if let version {
                guard version >= 1 else { throw ValidationError("--version must be at least 1, got \(version)") }
                guard filter.predicate != nil else { throw ValidationError("--version needs --predicate: a version number means nothing across predicates") }
                filter.version = version
            }
            filter.since = try since.map { try Self.time($0, "--since") }
            filter.until = try until.map { try Self.time($0, "--until") }
            filter.shadow = shadow
            if let outcome {
                guard let parsed = DecisionOutcomeFilter(text: outcome) else {
                    throw ValidationError("--outcome must be \(DecisionOutcomeFilter.expected); got '\(outcome)'")
                }
                filter.outcome = parsed
            }
            guard (1...500).contains(limit) else { throw ValidationError("--limit must be from 1 to 500, got \(limit)") }
            let after = try cursor.map { text -> DecisionID in
                guard let id = DecisionID(text: text) else { throw ValidationError("--cursor must be a decision id (the cursor a listing printed), got '\(text)'") }
                return id
            }
            return (filter, after)
        }

        static func time(_ text: String, _ flag: String) throws -> Date {
            guard let time = try? Timestamp.parse(text) else {
                throw ValidationError("\(flag) must be an RFC 3339 time such as 2026-12-06T15:00:00Z, got '\(text)'")
            }
            return Date(timeIntervalSince1970: Double(time.seconds) + Double(time.nanos) / 1e9)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One logged decision by its id, as JSON (the shape of GET /v1/decisions/{id}).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The decision_id a decide answer carried.") var id: String

        func run() async throws {
            guard let decisionID = DecisionID(text: id) else {
                throw ValidationError("'\(id)' is not a decision id: a UUID such as 01890a5d-ac96-774b-bcce-b302099a8057")
            }
            LogSetup.bootstrap()
            guard let record = try await store.withStore(logger: LogSetup.logger("decisions"), { try await $0.decision(id: decisionID) }) else {
                printError("error: no decision \(decisionID.text) is logged (never made, not sampled, dropped or pruned)")
                throw ExitCode.failure
            }
            print(record.jsonValue.serialized())
        }
    }
}

extension DecisionRecord {
    /// One line of `spectral decisions list`: id, time, predicate@version, outcome, fuel,
    /// latency, caller; the input is left to `show` (it can be long, and it is the caller's data).
    var line: String {
        let result: String
        switch outcome {
        case .decided(let json): result = json.count > 40 ? String(json.prefix(39)) + "…" : json
        case .failed(let code): result = "error \(code)"
        }
        return "\(id.text)  \(jsonValue["created_at"]?.stringValue ?? "")  \(predicate)@\(version)  \(result)  fuel \(fuel)  \(latencyMicroseconds) µs  \(caller ?? "-")"
            + (shadowOf.map { "  shadow of \($0.text)" } ?? "")
    }
}
