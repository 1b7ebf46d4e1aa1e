import Foundation
import JobHuntTesting
import Testing

/// Contract §1: `amqps://` with `AMQP_TLS_CA_FILE`, `AMQP_TLS_CERT_FILE`, `AMQP_TLS_KEY_FILE`,
/// and MongoDB TLS through the URI's options, against a private RabbitMQ whose TLS listener
/// requires a client certificate and a private mongod that accepts TLS only (both from
/// `TestCertificates`). The test itself reaches the broker by its plain listener to publish
/// and count; the worker has only the TLS URL. Needs a mongo-tool built from this tree's
/// deploy/mongo-tool.c (deploy/install.sh) to initiate the TLS replica set.
@Suite(
    .enabled(if: serversAvailable && PrivateBroker.available && PrivateReplicaSet.available && TestCertificates.available),
    .serialized, .timeLimit(.minutes(3)))
struct TLSServerTests {
    /// A TLS broker and, if `database`, a TLS replica set, for `body`; all removed after.
    private func withTLSServers(
        database: Bool = true, serverNames: String? = nil, _ body: (TestCertificates, PrivateBroker, TestBed) async throws -> Void
    ) async throws {
        let certificates = try serverNames.map { try TestCertificates(serverNames: $0) } ?? TestCertificates()
        defer { certificates.remove() }
        let broker = PrivateBroker(tlsDirectory: certificates.directory)
        defer { broker.remove() }
        try broker.start()
        let replicaSet = database ? PrivateReplicaSet(tlsDirectory: certificates.directory) : nil
        defer { replicaSet?.remove() }
        try replicaSet?.start()
        let bed = try TestBed(mongoURI: replicaSet?.uri, amqpURL: broker.amqpURL)
        defer { bed.tearDown() }
        try await body(certificates, broker, bed)
    }

    /// The bed's environment with the broker's TLS URL and the test CA and client certificate.
    private func tlsEnvironment(_ bed: TestBed, _ broker: PrivateBroker, _ certificates: TestCertificates) -> [String: String] {
        var environment = bed.environment
        environment["AMQP_URL"] = broker.tlsURL()
        environment["AMQP_TLS_CA_FILE"] = certificates.ca
        environment["AMQP_TLS_CERT_FILE"] = certificates.clientCertificate
        environment["AMQP_TLS_KEY_FILE"] = certificates.clientKey
        return environment
    }

    private func runToExit(_ arguments: [String], _ environment: [String: String]) async throws -> (status: Int32, output: String) {
        let worker = WorkerProcess(arguments: arguments, environment: environment)
        try worker.start()
        return try await worker.waitForExit()
    }

    @Test func setupAndRunWorkOverMutualTLSToBothServers() async throws {
        try await withTLSServers { certificates, broker, bed in
            let environment = tlsEnvironment(bed, broker, certificates)
            #expect(environment["MONGODB_URI"]!.contains("tls=true&tlsCAFile="))

            let (status, output) = try await runToExit(["setup"], environment)
            #expect(status == 0, "\(output)")
            for queue in bed.topology.allQueues {
                #expect(try bed.messageCount(queue) == 0)  // a passive declaration: it exists
            }
            #expect(try bed.database.collection("jobs").listIndexes().contains { $0.string("name") == "external_id_unique" })

            try bed.publish([TestEvents.fullJobPosted(id: "e1", time: "2026-11-24T10:15:00Z", externalID: "job-tls").body])
            let worker = WorkerProcess(arguments: ["run"], environment: environment)
            try worker.start()
            try await worker.waitUntilConsuming()
            let jobs = bed.database.collection("jobs")
            try await waitUntil(timeout: .seconds(30)) { try jobs.countDocuments(filter: ["external_id": "job-tls"]) == 1 }
            worker.signal(SIGTERM)
            let (runStatus, runOutput) = try await worker.waitForExit()
            #expect(runStatus == 0, "\(runOutput)")
            #expect(try bed.messageCount(bed.topology.queue(for: .jobPosted)) == 0)
            #expect(!runOutput.contains("guest:guest@"))
        }
    }

    @Test func aBrokerCertificateFromAnotherCAIsRefusedSayingWhy() async throws {
        try await withTLSServers(database: false) { certificates, broker, bed in
            var environment = tlsEnvironment(bed, broker, certificates)
            environment["AMQP_TLS_CA_FILE"] = certificates.otherCA
            for command in [["setup"], ["run"]] {
                let (status, output) = try await runToExit(command, environment)
                #expect(status == 1, "\(command): \(output)")
                #expect(output.contains("SSL peer cert verification failed"), "\(command): \(output)")
                #expect(!output.contains("guest:guest@"), "\(output)")
            }
        }
    }

    @Test func aDatabaseCertificateFromAnotherCAIsRefusedSayingWhy() async throws {
        try await withTLSServers { certificates, broker, bed in
            var environment = tlsEnvironment(bed, broker, certificates)
            environment["MONGODB_URI"] = bed.configuration.mongoURI.replacing("/ca.pem", with: "/other-ca.pem")
            let (status, output) = try await runToExit(["setup"], environment)
            #expect(status == 1, "\(output)")
            #expect(output.contains("TLS handshake failed"), "\(output)")
        }
    }

    /// librabbitmq matches DNS names only; the worker has OpenSSL check an IP address.
    @Test(arguments: [("DNS:localhost,IP:127.0.0.1", true), ("DNS:localhost,IP:127.0.0.2", false)])
    func aBrokerNamedByItsIPAddressIsCheckedAgainstTheCertificatesAddresses(serverNames: String, matches: Bool) async throws {
        try await withTLSServers(database: false, serverNames: serverNames) { certificates, broker, bed in
            var environment = tlsEnvironment(bed, broker, certificates)
            environment["AMQP_URL"] = broker.tlsURL(host: "127.0.0.1")
            let (status, output) = try await runToExit(["setup"], environment)
            #expect(status == (matches ? 0 : 1), "\(output)")
            #expect(output.contains("verification failed") == !matches, "\(output)")
        }
    }

    /// A refusal is a mistake in the settings, not an outage: `run` exits too, rather than
    /// waiting for a broker that will refuse it again.
    @Test(arguments: ["setup", "run"])
    func aBrokerThatRequiresAClientCertificateRefusesAWorkerWithout(command: String) async throws {
        try await withTLSServers(database: false) { certificates, broker, bed in
            var environment = tlsEnvironment(bed, broker, certificates)
            environment["AMQP_TLS_CERT_FILE"] = nil
            environment["AMQP_TLS_KEY_FILE"] = nil
            let worker = WorkerProcess(arguments: [command], environment: environment)
            try worker.start()
            let (status, output) = try await worker.waitForExit(timeout: .seconds(30))
            #expect(status == 1, "\(output)")
            #expect(output.contains("client certificate"), "\(output)")
            // `run` waits out an ambiguous end of the session (the broker's alert lost to its
            // reset, as after a crash), and exits on the refusal itself.
            if command == "run" { #expect(output.contains("refused the TLS connection"), "\(output)") }
        }
    }
}
