import Testing

@Test func placeholder_SpectralBytecodeTests() { #expect(Bool(true)) }
