/// TLS settings for `amqps://` connections. The defaults verify the broker's certificate
/// chain and host name against the system trust store, with TLS 1.2 or newer.
public struct AMQPTLSConfiguration: Sendable, Hashable {
    /// Verify the broker's certificate chain (default true). Turning it off allows a
    /// man-in-the-middle; use only against a test broker.
    public var verifyPeer: Bool
    /// Verify that the certificate names the host in the URL (default true).
    public var verifyHostname: Bool
    /// A PEM file of CA certificates to trust instead of the system trust store.
    public var caCertificatePath: String?
    /// A PEM client certificate (chain) for mutual TLS; needs `clientKeyPath` too.
    public var clientCertificatePath: String?
    /// The PEM private key of `clientCertificatePath`.
    public var clientKeyPath: String?

    /// Creates TLS settings; the defaults verify everything against the system trust store.
    public init(
        verifyPeer: Bool = true, verifyHostname: Bool = true, caCertificatePath: String? = nil,
        clientCertificatePath: String? = nil, clientKeyPath: String? = nil
    ) {
        self.verifyPeer = verifyPeer
        self.verifyHostname = verifyHostname
        self.caCertificatePath = caCertificatePath
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
    }
}
