import FuzzHarness

// SwiftPM links executables with `main` defined as `FuzzFuelTime_main`; see FuzzInput.
// This executable is the only place evaluations are timed (FuzzHarness.fuelTime).
@_cdecl("FuzzFuelTime_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzHarness.timesEvaluations = true
    return runFuzzerDriver(argc, argv) { data, size in
        FuzzHarness.fuelTime(Array(UnsafeBufferPointer(start: data, count: size)))
    }
}
