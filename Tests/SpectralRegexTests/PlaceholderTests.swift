import Testing

@Test func placeholder_SpectralRegexTests() { #expect(Bool(true)) }
