import JobHuntWorker
import Testing

@Suite struct RedactionTests {
    @Test(arguments: [
        ("amqp://guest:guest@127.0.0.1:5672/%2f", "amqp://guest:***@127.0.0.1:5672/%2f"),
        ("amqps://u:p%40ss@host/vhost", "amqps://u:***@host/vhost"),
        ("mongodb://app:pw@a:1,b:2/?replicaSet=rs0", "mongodb://app:***@a:1,b:2/?replicaSet=rs0"),
        ("mongodb://a:1/?authSource=x@y", "mongodb://a:1/?authSource=x@y"),
        ("mongodb://user@host/", "mongodb://user@host/"),
        ("not a url", "not a url"),
        (
            "mongodb://app:pw@h/?tls=true&tlsCAFile=/c/ca.pem&tlsCertificateKeyFile=/c/client.pem&tlsCertificateKeyFilePassword=s3cret",
            "mongodb://app:***@h/?tls=true&tlsCAFile=/c/ca.pem&tlsCertificateKeyFile=/c/client.pem&tlsCertificateKeyFilePassword=***"
        ),
        ("mongodb://h/?TLSCERTIFICATEKEYFILEPASSWORD=x&w=majority", "mongodb://h/?TLSCERTIFICATEKEYFILEPASSWORD=***&w=majority"),
    ])
    func passwordsAreReplaced(input: String, expected: String) {
        #expect(Redaction.url(input) == expected)
    }

    @Test(arguments: [
        ("amqp://a:pw1@h1:5672/%2f,amqp://b:pw2@h2:5672/%2f", "amqp://a:***@h1:5672/%2f,amqp://b:***@h2:5672/%2f"),
        ("amqp://a:p,w@h1/", "(a list of URLs that cannot be shown)"),
        ("amqp://guest:guest@h/", "amqp://guest:***@h/"),
    ])
    func everyPasswordOfABrokerListIsReplaced(input: String, expected: String) {
        #expect(Redaction.urlList(input) == expected)
    }
}
