import Testing

@Test func placeholder_SpectralSyntaxTests() { #expect(Bool(true)) }
