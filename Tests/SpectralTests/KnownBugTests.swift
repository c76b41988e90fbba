import Foundation
import Spectral
import Testing

/// Bugs found while writing the SpectralTests suites. Each test states the correct behaviour
/// and fails until the source is fixed.
@Suite struct KnownBugTests {
    /// BUG: `JSONInput.bindings` rejects duplicate keys in nested objects but silently keeps the
    /// last value for duplicate top-level binding names (`{"a": 1, "a": 2}` → a = 2).
    @Test func topLevelDuplicateKeysAreRejected() {
        do {
            let bindings = try JSONInput.bindings(Array(#"{"a": 1, "a": 2}"#.utf8))
            Issue.record("duplicate top-level key accepted: \(bindings)")
        } catch {
            #expect(error.description.contains("duplicate"))
            #expect(error.description.contains("a"))
        }
    }
}
