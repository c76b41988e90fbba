import ArgumentParser
import Spectral
import SpectralCatalog
import SpectralStore

struct PredicatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predicates",
        abstract: "List, show, activate and roll back published predicates.",
        subcommands: [List.self, Show.self, Activate.self, Rollback.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Names, versions and the active version of every predicate.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            LogSetup.bootstrap()
            let summaries = try await store.withStore(logger: LogSetup.logger("predicates")) { try await $0.predicates() }
            if json {
                print(JSONValue.array(summaries.map(\.jsonValue)).serialized())
                return
            }
            for summary in summaries {
                let active = summary.activeVersion.map { "active \($0)" } ?? "none active"
                print("\(summary.name)  versions \(summary.versions.map(String.init).joined(separator: ","))  \(active)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One version's source, declarations, cost bound and tests (the active one by default).")
        @OptionGroup var store: StoreOptions
        @Argument var name: String
        @Option(help: "A version other than the active one.") var version: Int?

        func run() async throws {
            LogSetup.bootstrap()
            guard let found = try await store.withStore(logger: LogSetup.logger("predicates"), { try await $0.predicate(name, version: version) }) else {
                printError("error: no \(version.map { "version \($0) of" } ?? "active version of") '\(name)'")
                throw ExitCode.failure
            }
            print("\(found.reference)\(found.isActive ? " (active)" : "")  by \(found.author), generation \(found.generation), event \(found.eventID)")
            print("source: \(found.source)")
            print("declarations: \(PredicateDefinition.declarationsJSON(found.declarations).serialized())")
            print("cost bound: \(found.costBound.map(String.init) ?? "depends on input sizes")  bytecode: \(found.bytecode.count) bytes")
            print("tests: \(found.tests.count)")
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a version the active one.")
        @OptionGroup var store: StoreOptions
        @Argument var name: String
        @Argument var version: Int

        func run() async throws {
            LogSetup.bootstrap()
            try await reportingStoreErrors {
                try await store.withStore(logger: LogSetup.logger("predicates")) { try await $0.activate(name, version: version, by: "cli") }
            }
            print("\(name)@\(version) active")
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return to the version that was active before the current one.")
        @OptionGroup var store: StoreOptions
        @Argument var name: String

        func run() async throws {
            LogSetup.bootstrap()
            let version = try await reportingStoreErrors {
                try await store.withStore(logger: LogSetup.logger("predicates")) { try await $0.rollback(name, by: "cli") }
            }
            print("\(name)@\(version) active")
        }
    }
}

/// Store errors the user caused (unknown names, nothing to roll back) print as one line.
func reportingStoreErrors<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as StoreError {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}
