import ArgumentParser
import SpectralCatalog
import SpectralStore

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys (stored as SHA-256 hashes; a key is shown once).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a key; prints it once.")
        @OptionGroup var store: StoreOptions
        @Option(help: "What the key is for.") var name: String
        @Option(name: .customLong("scope"), help: "decide, author, audit (reads the decision log) or admin (admin implies the others); repeatable.")
        var scopes: [String] = ["decide"]
        @Option(help: "Requests per second allowed (a bucket of one second's worth).") var rate: Double = 1000

        func validate() throws {
            for scope in scopes where !APIKeyRecord.scopes.contains(scope) {
                throw ValidationError("unknown scope '\(scope)': use \(APIKeyRecord.scopes.joined(separator: ", "))")
            }
            guard rate > 0 else { throw ValidationError("--rate must be positive") }
        }

        func run() async throws {
            LogSetup.bootstrap()
            let (record, key) = APIKeyRecord.issue(name: name, scopes: scopes, ratePerSecond: rate)
            try await store.withStore(logger: LogSetup.logger("keys")) { try await $0.insertAPIKey(record) }
            print(key)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Key ids, names, scopes, rates; never the keys.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            LogSetup.bootstrap()
            for key in try await store.withStore(logger: LogSetup.logger("keys"), { try await $0.apiKeys() }) {
                print("\(key.id)  \(key.name)  scopes \(key.scopes.joined(separator: ","))  \(key.ratePerSecond)/s\(key.revokedAt == nil ? "" : "  revoked")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id (the 12 hex digits after spk_).")
        @OptionGroup var store: StoreOptions
        @Argument var id: String

        func run() async throws {
            LogSetup.bootstrap()
            try await reportingStoreErrors {
                try await store.withStore(logger: LogSetup.logger("keys")) { try await $0.revokeAPIKey(id: id) }
            }
            print("key \(id) revoked")
        }
    }
}
