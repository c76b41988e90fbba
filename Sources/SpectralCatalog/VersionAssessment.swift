import Spectral
import SpectralSampling

/// What the worker learns about an accepted version by running it before publishing it:
/// its findings (`VersionFindings`, for every version), and, when the predicate has an
/// active version, the impact report (`ImpactReport`): recent logged inputs replayed
/// through both, then both run on generated inputs. Pure and synchronous; compiling the
/// explained form recurses per nesting level, so run it on a large stack (`LargeStackThread`).
public struct VersionAssessment: Sendable {
    public var findings: VersionFindings?
    public var impact: ImpactReport?

    /// Generated inputs the two versions are compared on.
    public static let generatedCount = 256
    /// Logged inputs lent to the generator as examples: their values and shapes make the
    /// generated inputs look like traffic.
    static let loggedExamples = 32
    /// How long the findings and the generated comparison may take together: what they
    /// have not reached by then is left out, so a slow predicate is never rejected for
    /// its assessment (the handler's own budget, 10 s by default, would reject it).
    public static let timeLimit = Duration.seconds(2)

    /// `shouldStop` (the handler's budget) is asked between inputs: what was not reached
    /// is left out. The replay of logged inputs answers to it alone; the findings and the
    /// generated comparison also to `timeLimit`.
    public init(request: PredicateDefinition, candidate: Program, evidence: ImpactEvidence?, limits: Limits,
                shouldStop: @escaping @Sendable () -> Bool = { false }) {
        let deadline = ContinuousClock.now + Self.timeLimit
        let capped: @Sendable () -> Bool = { shouldStop() || ContinuousClock.now >= deadline }
        let declared = Self.parsed(request.declarations)
        let examples = request.tests.map(\.input)
        let active = evidence.flatMap { try? $0.active.program(limits: limits) }
        if let explainer = try? PredicateVersion.explainer(source: request.source, declarations: request.declarations,
                                                           returns: request.returns, limits: limits) {
            findings = VersionFindings(explainer: explainer, declarations: declared, examples: examples, active: active,
                                       shouldStop: capped)
        }
        guard let evidence, let active else { return }
        let replay = ImpactReplay(active: active, activeVersion: evidence.active.version, candidate: candidate)
        var report = replay.report(replaying: evidence.recent, shouldStop: shouldStop)
        report.declarationChanges = DeclarationChanges.between(evidence.active, request)
        // Inputs both versions can read: the active one's declarations, the new one's over them.
        let union = Self.parsed(evidence.active.declarations).merging(declared) { _, new in new }
        let logged = evidence.recent.prefix(Self.loggedExamples).compactMap { try? JSONValue.parse($0.input) }
        var generator = SampleInputGenerator(declarations: union, examples: examples + logged)
        report.generated = replay.compare(generated: generator.samples(count: Self.generatedCount), shouldStop: capped)
        impact = report
    }

    /// Declarations already validated; one that no longer parses is left out.
    private static func parsed(_ declarations: [String: String]) -> [String: InputDeclaration] {
        declarations.compactMapValues { try? InputDeclaration.parse($0) }
    }
}
