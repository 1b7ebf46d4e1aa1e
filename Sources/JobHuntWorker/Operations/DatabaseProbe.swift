import Foundation
import MongoClient
import Synchronization

/// Asks MongoDB `ping` every `interval` and tells `health` when it answers, so that readiness
/// notices a silent database while no batch is being written. It has a client pool of its own
/// and a thread of its own: a ping may block until server selection gives up (30 s by default),
/// and nothing else waits for it; `stop()` returns at once and the thread ends after its ping.
public final class DatabaseProbe: Sendable {
    private let stopped = Atomic<Bool>(false)

    /// Starts probing the server of `uri`. Throws only when `uri` cannot be used.
    public init(uri: String, health: HealthBoard, interval: Duration = .seconds(2)) throws {
        let pool = try MongoClientPool(uri: uri, appName: "jobhunt-worker-probe")
        let thread = Thread { [self] in
            let admin = pool.database("admin")
            while !stopped.load(ordering: .relaxed) {
                if (try? admin.runCommand(["ping": 1])) != nil { health.databaseAnswered() }
                blockingSleep(interval)
            }
            pool.close()
        }
        thread.name = "mongodb-probe"
        thread.start()
    }

    public func stop() { stopped.store(true, ordering: .relaxed) }
}
