import Foundation

/// Runs an actor's jobs one after another on an OS thread of its own. libssh2 blocks for as
/// long as a transfer takes; on its own thread that never holds up Swift's cooperative pool
/// (two threads on a two-core machine) or other partners' clients.
final class ThreadExecutor: SerialExecutor {
    /// The jobs waiting, shared with the thread; guarded by its condition.
    private final class Jobs: @unchecked Sendable {
        let condition = NSCondition()
        var waiting: [UnownedJob] = []
        var head = 0
        var stopped = false
        var executor: UnownedSerialExecutor?
    }

    private let jobs = Jobs()

    init(name: String) {
        jobs.executor = UnownedSerialExecutor(ordinary: self)
        let jobs = self.jobs
        let thread = Thread {
            while true {
                jobs.condition.lock()
                while jobs.head == jobs.waiting.count, !jobs.stopped { jobs.condition.wait() }
                guard jobs.head < jobs.waiting.count, let executor = jobs.executor else {
                    jobs.condition.unlock()
                    return
                }
                let job = jobs.waiting[jobs.head]
                jobs.head += 1
                if jobs.head == jobs.waiting.count {
                    jobs.waiting.removeAll(keepingCapacity: true)
                    jobs.head = 0
                }
                jobs.condition.unlock()
                job.runSynchronously(on: executor)
            }
        }
        thread.name = name
        thread.start()
    }

    deinit {
        jobs.condition.lock()
        jobs.stopped = true
        jobs.condition.signal()
        jobs.condition.unlock()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.condition.lock()
        jobs.waiting.append(job)
        jobs.condition.signal()
        jobs.condition.unlock()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
