import NIOCore

/// Runs a task's jobs on one NIO event loop: code run with it as the task executor
/// preference runs on the loop's thread, so nothing else the loop does (closing a channel
/// the server hung up on, say) can interleave with it between two suspension points.
/// `checkedQuery` relies on that to check a connection and write to it in one go.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}
