import SpectralCatalog
import SpectralJSON

extension PredicateVersion {
    /// Stored JSON columns back into values; a column that does not decode means the row
    /// was written by something other than this store.
    static func decodeDeclarations(_ text: String) throws(StoreError) -> [String: String] {
        // The column holds what `PredicateDefinition.declarationsJSON` writes: CEL type
        // strings, and JSON Schemas as objects, read back as their canonical text.
        guard let json = try? JSONValue.parse(text), let declarations = try? PredicateDefinition.declarations(json: json) else {
            throw .corruptRow("declarations: \(text)")
        }
        return declarations
    }

    /// `mask`: a JSON array of pointers, or NULL (a row from before migration 7, or a
    /// version without a mask): none.
    static func decodeMask(_ text: String?) throws(StoreError) -> InputMask {
        guard let text else { return .none }
        let pointers = (try? JSONValue.parse(text).arrayValue)?.map(\.stringValue)
        guard let pointers, pointers.allSatisfy({ $0 != nil }), let mask = try? InputMask(pointers: pointers.compactMap { $0 }) else {
            throw .corruptRow("mask: \(text)")
        }
        return mask
    }

    /// `impact_report`, or NULL: no replay (no active version, or a row from before migration 9).
    static func decodeImpact(_ text: String?) throws(StoreError) -> ImpactReport? {
        guard let text else { return nil }
        guard let report = ImpactReport(jsonText: text) else { throw .corruptRow("impact_report: \(text.prefix(200))") }
        return report
    }

    /// `findings`, or NULL: a version published before migration 10.
    static func decodeFindings(_ text: String?) throws(StoreError) -> VersionFindings? {
        guard let text else { return nil }
        guard let findings = VersionFindings(jsonText: text) else { throw .corruptRow("findings: \(text.prefix(200))") }
        return findings
    }

    /// `log_sample`, or NULL: every decision.
    static func decodeLogSample(_ value: Double?) throws(StoreError) -> LogSampleRate {
        guard let value else { return .all }
        guard let rate = try? LogSampleRate(value) else { throw .corruptRow("log_sample: \(value)") }
        return rate
    }

    static func decodeTests(_ text: String) throws(StoreError) -> [PredicateTest] {
        guard let json = try? JSONValue.parse(text), let tests = try? PredicateTest.list(json: json) else {
            throw .corruptRow("tests: \(text)")
        }
        return tests
    }
}

extension HandlerEffect.NewVersion {
    var declarationsJSON: String { PredicateDefinition.declarationsJSON(request.declarations).serialized() }
    var testsJSON: String { JSONValue.array(request.tests.map(\.jsonValue)).serialized() }
    /// NULL for no mask, as the previous release's rows have it.
    var maskJSON: String? {
        request.mask.isEmpty ? nil : JSONValue.array(request.mask.pointers.map { .string($0) }).serialized()
    }
    /// The impact report as JSON text, NULL when there was no replay.
    var impactJSON: String? { impact.map { $0.jsonValue.serialized() } }
    var findingsJSON: String? { findings.map { $0.jsonValue.serialized() } }

    var logSampleColumn: Double? { request.logSample == .all ? nil : request.logSample.value }
}
