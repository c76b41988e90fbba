import Testing

@Test func placeholder_SpectralTimeTests() { #expect(Bool(true)) }
