import FuzzHarness
import Glibc

// SwiftPM links executables with `main` defined as `FuzzBytecode_main`; that entry hands over
// to libFuzzer's driver (so libFuzzer's own `main` is never pulled from its archive).
// `FuzzBytecode --dump-seeds DIR` writes the seed modules (raw-bytes mode) for corpus/bytecode.
@_cdecl("FuzzBytecode_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    if argc == 3, String(cString: argv[1]!) == "--dump-seeds" {
        let directory = String(cString: argv[2]!)
        for (i, module) in FuzzHarness.seedModules.enumerated() {
            guard let file = fopen("\(directory)/module-\(i)", "wb") else { fatalError("cannot write to \(directory)") }
            let bytes: [UInt8] = [0] + module  // mode byte 0: raw module bytes
            _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
        return 0
    }
    return runFuzzerDriver(argc, argv) { data, size in
        FuzzHarness.bytecode(Array(UnsafeBufferPointer(start: data, count: size)))
    }
}
