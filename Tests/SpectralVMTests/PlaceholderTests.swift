import Testing

@Test func placeholder_SpectralVMTests() { #expect(Bool(true)) }
