import ArgumentParser
import Spectral
import SpectralCatalog
import SpectralStore

struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a predicate for publication: writes a predicate.authored event to the outbox and prints its id.",
        discussion: "A worker (`spectral work`) validates it and publishes a version or a rejection; `spectral status ID` tells which."
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Predicate name (letters, digits, '_', '-', '.').") var name: String
    @Option(help: "The expression.") var source: String?
    @Option(help: "A file holding the expression.") var sourceFile: String?
    @OptionGroup var declarations: DeclarationOptions
    @Option(help: ArgumentHelp("A JSON file holding an array of tests: [{\"input\": {...}, \"expect\": true}].", valueName: "file"))
    var tests: String?
    @Option(help: "What the predicate decides, for people.") var description = ""
    @Option(help: "Who wrote it.") var author = "cli"
    @Option(help: ArgumentHelp("The result type the checker enforces: bool (a decision), or e.g. double for a score.", valueName: "type"))
    var returns = "bool"
    @Flag(help: "Publish without making the new version active.") var noActivate = false
    @Option(help: ArgumentHelp("An input field never written to the decision log nor quoted in errors, as a JSON pointer (/user/ssn; * for every element). Repeatable.", valueName: "pointer"))
    var mask: [String] = []
    @Option(help: ArgumentHelp("The share of this predicate's decisions the log keeps, 0 to 1 (times the server's --decision-log-sample).", valueName: "rate"))
    var logSample: Double = 1

    func validate() throws {
        guard (source == nil) != (sourceFile == nil) else { throw ValidationError("give exactly one of --source and --source-file") }
        guard PredicateDefinition.isValidName(name) else { throw ValidationError("invalid predicate name '\(name)'") }
    }

    func run() async throws {
        LogSetup.bootstrap()
        let request = try makeRequest()
        let generation = try store.resolvedGeneration
        let id = try await store.withStore(logger: LogSetup.logger("submit")) { store in
            try await store.submit(.predicateAuthored(request), generation: generation)
        }
        print(id)
    }

    private func makeRequest() throws -> PredicateDefinition {
        let text = try source ?? String(decoding: readFile(sourceFile!), as: UTF8.self)
        let declared = try declarations.texts()
        var attached: [PredicateTest] = []
        if let tests {
            do {
                attached = try PredicateTest.list(json: try JSONValue.parse(try readFile(tests)))
            } catch {
                throw ValidationError("--tests \(tests): \(error)")
            }
        }
        let inputMask: InputMask
        let rate: LogSampleRate
        do {
            inputMask = try InputMask(pointers: mask)
            _ = try InputMask.marked(in: declared)
        } catch {
            throw ValidationError("--mask: \(error.message)")
        }
        do { rate = try LogSampleRate(logSample) } catch { throw ValidationError("--log-sample: \(error)") }
        return PredicateDefinition(name: name, source: text, declarations: declared, tests: attached,
                                description: description, author: author, activate: !noActivate, returns: returns,
                                mask: inputMask, logSample: rate)
    }
}
