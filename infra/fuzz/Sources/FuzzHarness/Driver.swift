// Glue to libFuzzer's driver (linked by -sanitize=fuzzer).

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

nonisolated(unsafe) private var currentTarget: ((UnsafePointer<UInt8>?, Int) -> Void)?

/// Runs libFuzzer with `target` as the per-input function.
public func runFuzzerDriver(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                            _ target: @escaping (UnsafePointer<UInt8>?, Int) -> Void) -> CInt {
    currentTarget = target
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        currentTarget!(data, size)
        return 0
    }
}
