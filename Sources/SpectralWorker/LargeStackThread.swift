import Foundation
import Synchronization

/// Runs a synchronous job on a fresh thread with a 16 MiB stack and waits for it. The
/// parser and checker recurse once per nesting level (up to the parser's depth limit);
/// debug builds need a few MiB for that, more than cooperative-pool threads promise.
enum LargeStackThread {
    static let stackSize = 16 << 20

    static func run<T: Sendable>(_ job: @escaping @Sendable () -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let value = job()
            result.withLock { $0 = value }
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return result.withLock { $0! }
    }
}
