import Foundation
import JobHuntTesting
import Testing

/// The real executable refuses unusable `AMQP_TLS_*` settings before connecting: exit 64 with
/// the variable and the path (the rules are JobHuntWorkerTests' TLSFileTests). No server needed.
@Suite(.timeLimit(.minutes(1)))
struct TLSUsageTests {
    private func run(_ arguments: [String], _ settings: [String: String]) async throws -> (status: Int32, output: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_URL"] = "amqps://guest:guest@localhost:1/%2f"
        environment.merge(settings) { $1 }
        let worker = WorkerProcess(arguments: arguments, environment: environment)
        try worker.start()
        return try await worker.waitForExit()
    }

    @Test(arguments: [["setup"], ["run"], ["dlq", "stats"]])
    func anUnreadableFileIsAUsageErrorNamingTheVariableAndPath(arguments: [String]) async throws {
        let missing = "/nonexistent-\(UUID().uuidString)/ca.pem"
        let (status, output) = try await run(arguments, ["AMQP_TLS_CA_FILE": missing])
        #expect(status == 64, "\(output)")
        #expect(output.contains("AMQP_TLS_CA_FILE: cannot read \(missing): No such file or directory"), "\(output)")
    }

    @Test func aCertificateWithoutItsKeyIsAUsageError() async throws {
        let (status, output) = try await run(["setup"], ["AMQP_TLS_CERT_FILE": #filePath])
        #expect(status == 64, "\(output)")
        #expect(output.contains("AMQP_TLS_CERT_FILE and AMQP_TLS_KEY_FILE go together"), "\(output)")
    }
}
