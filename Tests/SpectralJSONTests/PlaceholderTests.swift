import Testing

@Test func placeholder_SpectralJSONTests() { #expect(Bool(true)) }
