import Foundation
import Synchronization

/// Runs a synchronous job on a fresh thread with a 16 MiB stack and waits for it. The
/// parser and checker recurse once per nesting level (up to the parser's depth limit);
/// debug builds need a few MiB for that, more than cooperative-pool threads promise.
public enum LargeStackThread {
    static let stackSize = 16 << 20

    public static func run<T: Sendable>(_ job: @escaping @Sendable () -> T) -> T {
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

    /// The same, for async callers: the calling task is suspended, not its thread blocked.
    public static func value<T: Sendable>(of job: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: job()) }
            thread.stackSize = stackSize
            thread.start()
        }
    }
}
