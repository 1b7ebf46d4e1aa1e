import AMQPClient
import Foundation

/// `AMQP_TLS_CA_FILE`, `AMQP_TLS_CERT_FILE`, `AMQP_TLS_KEY_FILE` (contract §1): the PEM files
/// of `amqps://` connections. Checked at startup, so that a wrong path is a usage error naming
/// the variable and the path (exit 64) rather than a connection failure found much later.
enum AMQPTLSFiles {
    static let caVariable = "AMQP_TLS_CA_FILE"
    static let certificateVariable = "AMQP_TLS_CERT_FILE"
    static let keyVariable = "AMQP_TLS_KEY_FILE"

    /// The TLS settings that `environment` gives: the CA file replaces the system trust store;
    /// a client certificate and key (mutual TLS) come together or not at all. An empty
    /// variable counts as unset (the contract's default is empty).
    static func configuration(in environment: [String: String]) throws(ConfigurationError) -> AMQPTLSConfiguration {
        func path(_ variable: String) throws(ConfigurationError) -> String? {
            guard let path = environment[variable], !path.isEmpty else { return nil }
            try checkReadable(path, named: variable)
            return path
        }
        let certificate = try path(certificateVariable)
        let key = try path(keyVariable)
        guard (certificate == nil) == (key == nil) else {
            throw ConfigurationError("\(certificateVariable) and \(keyVariable) go together (mutual TLS): set both or neither")
        }
        return AMQPTLSConfiguration(caCertificatePath: try path(caVariable), clientCertificatePath: certificate, clientKeyPath: key)
    }

    /// Whether any file is set: then every broker must be `amqps://`, or the files would be
    /// silently unused (an operator would believe the connection verified or authenticated).
    static func isSet(_ tls: AMQPTLSConfiguration) -> Bool {
        tls.caCertificatePath != nil || tls.clientCertificatePath != nil
    }

    /// Throws an error naming `name` and `path` unless the file can be read.
    /// Whether it holds valid PEM is for OpenSSL to say when connecting.
    private static func checkReadable(_ path: String, named name: String) throws(ConfigurationError) {
        // One byte read, not only an open: a directory opens but does not read (EISDIR).
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        var byte: UInt8 = 0
        guard descriptor >= 0, read(descriptor, &byte, 1) >= 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw ConfigurationError("\(name): cannot read \(path): \(reason)")
        }
        close(descriptor)
    }
}
