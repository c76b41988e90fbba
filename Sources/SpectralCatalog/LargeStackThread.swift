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

    /// Runs `side` on a fresh large-stack thread while `main` runs on this one, and returns
    /// both results: for two independent jobs a caller waits on (the two versions of an
    /// impact replay), so both cores work.
    public static func both<A: Sendable, B>(_ side: @escaping @Sendable () -> A, _ main: () -> B) -> (A, B) {
        let result = Mutex<A?>(nil)
        let done = DispatchSemaphore(value: 0)
        start {
            let value = side()
            result.withLock { $0 = value }
            done.signal()
        }
        let mine = main()
        done.wait()
        return (result.withLock { $0! }, mine)
    }

    /// The same, for async callers: the calling task is suspended, not its thread blocked.
    public static func value<T: Sendable>(of job: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: job()) }
            thread.stackSize = stackSize
            thread.start()
        }
    }

    /// Starts `job` on a fresh large-stack thread and returns at once; the job reports its
    /// result itself. For work a caller may stop waiting for (a handler over its budget):
    /// a thread cannot be stopped from outside, so it finishes on its own.
    public static func start(_ job: @escaping @Sendable () -> Void) {
        let thread = Thread(block: job)
        thread.stackSize = stackSize
        thread.start()
    }
}
