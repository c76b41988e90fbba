import FuzzHarness

// SwiftPM links executables with `main` defined as `FuzzInput_main`; that entry hands over to
// libFuzzer's driver (so libFuzzer's own `main` is never pulled from its archive).
@_cdecl("FuzzInput_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzerDriver(argc, argv) { data, size in
        FuzzHarness.input(Array(UnsafeBufferPointer(start: data, count: size)))
    }
}
