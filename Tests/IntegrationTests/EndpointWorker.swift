import Foundation
import JobHuntTesting

/// A `jobhunt-worker run` on a test bed, serving its operations endpoints (contract §7) on a
/// port of its own from `TestPorts`, given back when the worker is gone.
final class EndpointWorker {
    let process: WorkerProcess
    let port = TestPorts.single()

    /// Starts the worker with `bed`'s environment, `JOBHUNT_HTTP_ADDR` and `overrides`.
    init(bed: TestBed, _ overrides: [String: String] = [:]) throws {
        var environment = bed.environment
        environment["JOBHUNT_HTTP_ADDR"] = "127.0.0.1:\(port)"
        environment.merge(overrides) { $1 }
        process = WorkerProcess(arguments: ["run"], environment: environment)
        try process.start()
    }

    deinit {
        if process.process.isRunning { process.signal(SIGKILL) }
        TestPorts.release(port)
    }

    /// The status and body of `GET path`; nil while nothing answers.
    func get(_ path: String) -> (status: Int, body: String)? { OperationsClient.get(path, port: port) }

    /// The status of `GET path`; nil while nothing answers.
    func status(_ path: String) -> Int? { get(path)?.status }

    /// The `/metrics` text; empty while nothing answers.
    func metrics() -> String { get("/metrics")?.body ?? "" }
}
