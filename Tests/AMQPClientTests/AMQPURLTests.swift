import Testing
@testable import AMQPClient

@Suite("AMQPURL")
struct AMQPURLTests {
    @Test("parses every part and percent-decodes user, password and vhost")
    func fullURL() throws {
        let url = try AMQPURL("amqp://us%40er:p%3Ass%2Fw%25rd@broker.example:5673/my%2fvhost")
        #expect(url.isTLS == false)
        #expect(url.user == "us@er")
        #expect(url.password == "p:ss/w%rd")
        #expect(url.host == "broker.example")
        #expect(url.port == 5673)
        #expect(url.vhost == "my/vhost")
    }

    @Test("defaults: port 5672, guest/guest, vhost /")
    func defaults() throws {
        let url = try AMQPURL("amqp://localhost")
        #expect(url.port == 5672)
        #expect(url.user == "guest")
        #expect(url.password == "guest")
        #expect(url.vhost == "/")
        #expect(try AMQPURL("amqp://localhost/").vhost == "/")
        #expect(try AMQPURL("amqp://localhost/%2f").vhost == "/")
        #expect(try AMQPURL("amqp://localhost/%2F").vhost == "/")
        #expect(try AMQPURL("amqp://localhost/jobs").vhost == "jobs")
        #expect(try AMQPURL("amqp://").host == "localhost")
        #expect(try AMQPURL("amqp://alice@h").user == "alice")
        #expect(try AMQPURL("amqp://:@h").user == "")
        #expect(try AMQPURL("amqp://:@h").password == "")
    }

    @Test("the contract's default URL")
    func contractDefault() throws {
        let url = try AMQPURL("amqp://guest:guest@127.0.0.1:5672/%2f")
        #expect(url == AMQPURL(host: "127.0.0.1", port: 5672, user: "guest", password: "guest", vhost: "/"))
    }

    @Test("amqps uses TLS and port 5671")
    func amqps() throws {
        let url = try AMQPURL("AMQPS://u:p@secure.example/prod")
        #expect(url.isTLS)
        #expect(url.port == 5671)
        #expect(url.vhost == "prod")
        #expect(try AMQPURL("amqps://h:5000").port == 5000)
    }

    @Test("IPv6 hosts in brackets")
    func ipv6() throws {
        let url = try AMQPURL("amqp://u:p@[::1]:5690/v")
        #expect(url.host == "::1")
        #expect(url.port == 5690)
        #expect(try AMQPURL("amqp://[fe80::1]").port == 5672)
        #expect(url.redactedDescription == "amqp://u:***@[::1]:5690/v")
    }

    @Test("an unencoded @ in the password still parses (the last @ separates)")
    func atInPassword() throws {
        let url = try AMQPURL("amqp://user:p@ss@host/")
        #expect(url.password == "p@ss")
        #expect(url.host == "host")
    }

    @Test(
        "rejects bad URLs with an invalidURL error",
        arguments: [
            "", "localhost:5672", "http://host/", "amqp:/host", "amqp://host:", "amqp://host:port",
            "amqp://host:0", "amqp://host:70000", "amqp://host:123456", "amqp://host/a/b",
            "amqp://u:p%zz@host", "amqp://u:p%2@host", "amqp://host/%00", "amqp://host/%ff",
            "amqp://host?heartbeat=10", "amqp://host/#frag", "amqp://ho st/", "amqp://[::1/",
            "amqp://[::1]x/", "amqp://h%41st/",
        ])
    func badURLs(_ text: String) {
        #expect {
            try AMQPURL(text)
        } throws: { error in
            guard let error = error as? AMQPError, case .invalidURL = error.kind else { return false }
            return !error.message.isEmpty && !error.isRetriable
        }
    }

    @Test("errors never repeat the password")
    func errorsWithoutPassword() {
        for text in ["amqp://user:Sup3rSecret@host:badport/", "amqp://user:Sup3rSecret@host/a/b", "amqp://user:Sup3rSecret%zz@host/"] {
            do {
                _ = try AMQPURL(text)
                Issue.record("expected \(text) to be rejected")
            } catch {
                #expect(!"\(error)".contains("Sup3rSecret"))
                #expect(!String(reflecting: error).contains("Sup3rSecret"))
            }
        }
    }

    @Test("description, debugDescription, interpolation and dump are redacted")
    func redaction() throws {
        let url = try AMQPURL("amqps://worker:Sup3rSecret@mq.example:5671/jobs%2fprod")
        #expect(url.redactedDescription == "amqps://worker:***@mq.example:5671/jobs%2fprod")
        #expect(url.description == url.redactedDescription)
        #expect("\(url)" == url.redactedDescription)
        #expect(String(reflecting: url) == url.redactedDescription)
        var dumped = ""
        dump(url, to: &dumped)
        #expect(!dumped.contains("Sup3rSecret"))
        struct Config { var amqp: AMQPURL }
        #expect(!"\(Config(amqp: url))".contains("Sup3rSecret"))
        #expect(!String(reflecting: Config(amqp: url)).contains("Sup3rSecret"))
    }

    @Test("the redacted form parses back to the same URL but for the password")
    func redactedRoundTrip() throws {
        let url = try AMQPURL("amqp://us%40er:pw@h:1234/v%2fh%20x")
        var parsed = try AMQPURL(url.redactedDescription)
        #expect(parsed.password == "***")
        parsed.password = url.password
        #expect(parsed == url)
    }
}
