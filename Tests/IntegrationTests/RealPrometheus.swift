import Foundation
import JobHuntTesting

/// A real Prometheus (Debian's `prometheus`, which deploy/install.sh installs) of the test's
/// own, scraping the worker's `/metrics` on loopback every second, and queried through its HTTP API.
final class RealPrometheus {
    static let binary = "/usr/bin/prometheus"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let port = TestPorts.single()
    private let process = Process()
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jobhunt-prometheus-\(UUID().uuidString)")

    /// Starts it scraping 127.0.0.1:`target`.
    init(scraping target: Int) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = directory.appendingPathComponent("prometheus.yml")
        try """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: jobhunt
                static_configs: [{targets: ["127.0.0.1:\(target)"]}]
            """.write(to: configuration, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(configuration.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        try? FileManager.default.removeItem(at: directory)
        TestPorts.release(port)
    }

    /// The single value of the instant query `query` as Prometheus returns it ("3", "0"), if any.
    func value(_ query: String) -> String? {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        guard let reply = OperationsClient.get("/api/v1/query?query=\(encoded)", port: port), reply.status == 200,
            let range = reply.body.range(of: #""value":\[[0-9.]+,""#, options: .regularExpression)
        else { return nil }
        return String(reply.body[range.upperBound...].prefix { $0 != "\"" })
    }
}
