import Testing

@Test func placeholder_SpectralTests() { #expect(Bool(true)) }
