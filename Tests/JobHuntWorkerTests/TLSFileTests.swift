import Foundation
import JobHuntWorker
import Testing

/// Contract §1: `AMQP_TLS_CA_FILE`, `AMQP_TLS_CERT_FILE`, `AMQP_TLS_KEY_FILE` reach every broker
/// connection; an unreadable file names its variable and path, a certificate needs its key,
/// and the files need `amqps://`. (Whether the files work is IntegrationTests' TLSTests.)
@Suite struct TLSFileTests {
    private let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tls-files-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    private func file(_ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: url)
        return url.path
    }

    private func removeDirectory() { try? FileManager.default.removeItem(at: directory) }

    /// The first error of reading `environment` and validating it, as text ("" if none).
    private func errorText(_ environment: [String: String]) -> String {
        do {
            try WorkerConfiguration(environment: environment).validate()
            return ""
        } catch {
            return error.description
        }
    }

    private let tlsURL = ["AMQP_URL": "amqps://guest:guest@localhost:5671/%2f"]

    @Test func theFilesReachEveryBrokerConnection() throws {
        defer { removeDirectory() }
        let environment = tlsURL.merging([
            "AMQP_TLS_CA_FILE": try file("ca.pem"), "AMQP_TLS_CERT_FILE": try file("client.pem"),
            "AMQP_TLS_KEY_FILE": try file("client.key"),
        ]) { $1 }
        let configuration = try WorkerConfiguration(environment: environment)
        try configuration.validate()
        let tls = try configuration.brokers().tls
        #expect(tls.caCertificatePath == environment["AMQP_TLS_CA_FILE"])
        #expect(tls.clientCertificatePath == environment["AMQP_TLS_CERT_FILE"])
        #expect(tls.clientKeyPath == environment["AMQP_TLS_KEY_FILE"])
        #expect(tls.verifyPeer && tls.verifyHostname)
    }

    @Test func unsetOrEmptyMeansTheSystemTrustStoreAndNoClientCertificate() throws {
        let configuration = try WorkerConfiguration(environment: tlsURL.merging(["AMQP_TLS_CA_FILE": ""]) { $1 })
        let tls = try configuration.brokers().tls
        #expect(tls.caCertificatePath == nil && tls.clientCertificatePath == nil && tls.clientKeyPath == nil)
        #expect(tls.verifyPeer && tls.verifyHostname)
    }

    @Test(arguments: ["AMQP_TLS_CA_FILE", "AMQP_TLS_CERT_FILE", "AMQP_TLS_KEY_FILE"])
    func anUnreadableFileNamesItsVariableAndPath(variable: String) throws {
        defer { removeDirectory() }
        var environment = tlsURL.merging(["AMQP_TLS_CERT_FILE": try file("client.pem"), "AMQP_TLS_KEY_FILE": try file("client.key")]) { $1 }
        let missing = directory.appendingPathComponent("missing.pem").path
        environment[variable] = missing
        let text = errorText(environment)
        #expect(text.hasPrefix("\(variable): cannot read \(missing): "), "\(text)")
        #expect(text.contains("No such file"), "\(text)")
    }

    @Test func aDirectoryIsNotReadable() throws {
        defer { removeDirectory() }
        let text = errorText(tlsURL.merging(["AMQP_TLS_CA_FILE": directory.path]) { $1 })
        #expect(text == "AMQP_TLS_CA_FILE: cannot read \(directory.path): Is a directory", "\(text)")
    }

    @Test(arguments: ["AMQP_TLS_CERT_FILE", "AMQP_TLS_KEY_FILE"])
    func aCertificateWithoutItsKeyOrTheReverseIsRefused(variable: String) throws {
        defer { removeDirectory() }
        let text = errorText(tlsURL.merging([variable: try file("one.pem")]) { $1 })
        #expect(text == "AMQP_TLS_CERT_FILE and AMQP_TLS_KEY_FILE go together (mutual TLS): set both or neither")
    }

    @Test func theFilesNeedAnAmqpsURL() throws {
        defer { removeDirectory() }
        let text = errorText([
            "AMQP_URL": "amqps://guest:secret@h1:5671/%2f,amqp://guest:secret@h2:5672/%2f", "AMQP_TLS_CA_FILE": try file("ca.pem"),
        ])
        #expect(text == "AMQP_TLS_* files are set but AMQP_URL has an amqp:// URL; use amqps://")
    }
}
