import FuzzHarness

// SwiftPM links executables with `main` defined as `FuzzBytecode_main`; that entry hands over
// to libFuzzer's driver (so libFuzzer's own `main` is never pulled from its archive).
// `FuzzBytecode --dump-seeds DIR` writes the seed modules (raw-bytes mode) for corpus/bytecode.
@_cdecl("FuzzBytecode_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    if argc == 3, String(cString: argv[1]!) == "--dump-seeds" {
        FuzzHarness.dumpSeedModules(to: String(cString: argv[2]!))
        return 0
    }
    return runFuzzerDriver(argc, argv) { data, size in
        FuzzHarness.bytecode(Array(UnsafeBufferPointer(start: data, count: size)))
    }
}
