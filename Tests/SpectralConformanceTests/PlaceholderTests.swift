import Testing

@Test func placeholder_SpectralConformanceTests() { #expect(Bool(true)) }
