import Testing

@Test func placeholder_SpectralCompilerTests() { #expect(Bool(true)) }
