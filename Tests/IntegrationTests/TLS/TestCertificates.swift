import Foundation

/// Certificates made with `openssl` for one test, in a folder of their own (the layout that
/// deploy/lib/group.sh describes for `--tls-dir`): a CA, a server certificate it signed (for
/// localhost and 127.0.0.1 by default), a client certificate it signed, and an unrelated CA (`otherCA`)
/// that signed nothing here. EC keys: quick to make. Valid for 2 days.
struct TestCertificates {
    static var available: Bool { FileManager.default.isExecutableFile(atPath: openssl) }
    private static let openssl = "/usr/bin/openssl"

    let directory: String
    var ca: String { "\(directory)/ca.pem" }
    var otherCA: String { "\(directory)/other-ca.pem" }
    var clientCertificate: String { "\(directory)/client.crt" }
    var clientKey: String { "\(directory)/client.key" }

    /// `serverNames`: the subject alternative names of the server certificate.
    init(serverNames: String = "DNS:localhost,IP:127.0.0.1") throws {
        // No spaces: the scripts put the paths in config lines and URIs.
        directory = "/tmp/jh-tls-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.authority("ca", in: directory)
        try Self.authority("other-ca", in: directory)
        try Self.leaf("server", subject: "localhost", names: serverNames, in: directory)
        try Self.leaf("client", subject: "jobhunt-worker", names: nil, in: directory)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    private static let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    /// A self-signed CA: NAME.pem and NAME.key.
    private static func authority(_ name: String, in directory: String) throws {
        try ChildProgram.run(openssl, ["req", "-x509"] + key + [
            "-days", "2", "-subj", "/CN=jobhunt test \(name)", "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).pem",
        ])
    }

    /// A certificate that ca.pem signed: NAME.crt, NAME.key and NAME.pem (both in one file, as
    /// mongod and libmongoc want them).
    private static func leaf(_ name: String, subject: String, names: String?, in directory: String) throws {
        let base = "\(directory)/\(name)"
        try ChildProgram.run(openssl, ["req"] + key + ["-subj", "/CN=\(subject)", "-keyout", "\(base).key", "-out", "\(base).csr"])
        var arguments = [
            "x509", "-req", "-in", "\(base).csr", "-CA", "\(directory)/ca.pem", "-CAkey", "\(directory)/ca.key",
            "-set_serial", "\(UInt32.random(in: 1...UInt32.max))", "-days", "2", "-out", "\(base).crt",
        ]
        if let names {
            try Data("subjectAltName=\(names)\n".utf8).write(to: URL(fileURLWithPath: "\(base).ext"))
            arguments += ["-extfile", "\(base).ext"]
        }
        try ChildProgram.run(openssl, arguments)
        let combined = try Data(contentsOf: URL(fileURLWithPath: "\(base).crt")) + Data(contentsOf: URL(fileURLWithPath: "\(base).key"))
        try combined.write(to: URL(fileURLWithPath: "\(base).pem"))
    }
}
