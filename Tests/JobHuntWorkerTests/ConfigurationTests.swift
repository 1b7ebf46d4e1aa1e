import JobHuntWorker
import Testing

@Suite struct ConfigurationTests {
    @Test func defaultsAreTheContracts() throws {
        let configuration = try WorkerConfiguration(environment: [:])
        #expect(configuration.amqpURL == "amqp://guest:guest@127.0.0.1:5672/%2f")
        #expect(configuration.mongoURI == "mongodb://127.0.0.1:27017/?replicaSet=rs0")
        #expect(configuration.database == "aijobhunt_db")
        #expect(configuration.exchange == "jobhunt.events")
        #expect(configuration.queuePrefix == "jobhunt")
        #expect(configuration.retryWindowSeconds == 300)
        #expect(configuration.deliveryLimit >= 20)
    }

    @Test func theEnvironmentOverridesEachDefault() throws {
        let configuration = try WorkerConfiguration(environment: [
            "AMQP_URL": "amqps://u:p@broker:5671/prod", "MONGODB_URI": "mongodb://db/", "MONGODB_DATABASE": "d",
            "JOBHUNT_EXCHANGE": "x", "JOBHUNT_QUEUE_PREFIX": "p", "JOBHUNT_RETRY_WINDOW_S": "7",
            "JOBHUNT_PREFETCH": "9", "JOBHUNT_DELIVERY_LIMIT": "30", "JOBHUNT_BATCH_SIZE": "11",
            "JOBHUNT_BATCH_WAIT_MS": "0", "JOBHUNT_CONSUMERS": "3", "JOBHUNT_HEARTBEAT_S": "4", "JOBHUNT_STUCK_AFTER_S": "6",
        ])
        #expect(configuration.amqpURL == "amqps://u:p@broker:5671/prod")
        #expect(configuration.mongoURI == "mongodb://db/")
        #expect(configuration.database == "d")
        #expect(configuration.exchange == "x")
        #expect(configuration.queuePrefix == "p")
        #expect(configuration.retryWindowSeconds == 7)
        #expect(configuration.prefetch == 9)
        #expect(configuration.deliveryLimit == 30)
        #expect(configuration.batchSize == 11)
        #expect(configuration.batchWaitMilliseconds == 0)
        #expect(configuration.consumersPerQueue == 3)
        #expect(configuration.heartbeatSeconds == 4)
        #expect(configuration.stuckAfterSeconds == 6)
        #expect(HealthBoard.Limits(configuration).stallLimit == .seconds(6))
    }

    @Test func livenessWaitsTwoMinutesUnlessTold() throws {
        #expect(try WorkerConfiguration(environment: [:]).stuckAfterSeconds == 120)
        #expect(HealthBoard.Limits().stallLimit == .seconds(120))
    }

    @Test("batching settings out of range name their variable", arguments: [
        ("JOBHUNT_BATCH_SIZE", "0"), ("JOBHUNT_BATCH_SIZE", "10001"), ("JOBHUNT_BATCH_WAIT_MS", "-1"),
        ("JOBHUNT_CONSUMERS", "0"), ("JOBHUNT_CONSUMERS", "many"), ("JOBHUNT_HEARTBEAT_S", "0"),
        ("JOBHUNT_STUCK_AFTER_S", "0"), ("JOBHUNT_STUCK_AFTER_S", "-5"), ("JOBHUNT_STUCK_AFTER_S", "2m"), ("JOBHUNT_STUCK_AFTER_S", ""),
    ])
    func batchingSettingsAreChecked(variable: String, value: String) {
        do {
            _ = try WorkerConfiguration(environment: [variable: value])
            Issue.record("accepted \(variable)=\(value)")
        } catch {
            #expect(error.description.contains(variable))
        }
    }

    @Test func aBadNumberNamesTheVariable() {
        #expect(throws: ConfigurationError.self) { try WorkerConfiguration(environment: ["JOBHUNT_RETRY_WINDOW_S": "soon"]) }
        do {
            _ = try WorkerConfiguration(environment: ["JOBHUNT_PREFETCH": "-1"])
            Issue.record("accepted a negative prefetch")
        } catch {
            #expect(error.description.contains("JOBHUNT_PREFETCH"))
        }
    }

    @Test func theDescriptionHidesPasswords() throws {
        let configuration = try WorkerConfiguration(environment: [
            "AMQP_URL": "amqp://worker:s3cr3t@broker/%2f", "MONGODB_URI": "mongodb://app:hunter2@db1,db2/?replicaSet=rs0",
        ])
        #expect(!configuration.description.contains("s3cr3t"))
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description.contains("worker:***@broker"))
    }

    @Test func theBrokersAreThoseOfTheURLLastSet() throws {
        var configuration = WorkerConfiguration()
        configuration.amqpURL = "amqp://a:pw@h1/,http://h2/"
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(throws: ConfigurationError.self) { try configuration.brokers() }
        configuration.amqpURL = "amqp://h3:5673/vh,amqp://h4"
        try configuration.validate()
        #expect(try configuration.brokers().urls.map(\.host) == ["h3", "h4"])
        #expect(configuration.amqpURL == "amqp://h3:5673/vh,amqp://h4")
    }

    @Test func aDatabaseNameMongoDBWouldRefuseIsAUsageError() {
        var configuration = WorkerConfiguration()
        configuration.database = "a.b"
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }
}

@Suite struct BrokerListTests {
    @Test func aCommaSeparatedListGivesEveryNodeInOrder() throws {
        let brokers = try Brokers("amqp://a:pw1@h1:5672/%2f, amqps://b:pw2@h2/vh ,amqp://h3")
        #expect(brokers.urls.map(\.host) == ["h1", "h2", "h3"])
        #expect(brokers.urls.map(\.port) == [5672, 5671, 5672])
        #expect(brokers.urls[1].isTLS)
        #expect(!brokers.description.contains("pw1") && !brokers.description.contains("pw2"))
    }

    @Test func aBadURLInTheListIsNamedByPositionWithoutItsPassword() {
        #expect {
            try Brokers("amqp://a:pw1@h1/,http://b:pw2@h2/")
        } throws: { error in
            let text = "\(error)"
            return text.contains("URL 2 of 2") && !text.contains("pw2") && !text.contains("pw1")
        }
        #expect(throws: ConfigurationError.self) { try Brokers("amqp://h1/,") }
    }
}

@Suite struct HTTPAddressConfigurationTests {
    @Test func theOperationsAddressIsOffUnlessSetAndAMalformedOneIsAUsageError() throws {
        #expect(try WorkerConfiguration(environment: [:]).httpAddress == nil)
        #expect(try WorkerConfiguration(environment: ["JOBHUNT_HTTP_ADDR": ""]).httpAddress == nil)
        let set = try WorkerConfiguration(environment: ["JOBHUNT_HTTP_ADDR": "127.0.0.1:9464"])
        #expect(set.httpAddress?.port == 9464)
        #expect(set.description.contains("http_addr=127.0.0.1:9464"))
        #expect {
            try WorkerConfiguration(environment: ["JOBHUNT_HTTP_ADDR": "9464"])
        } throws: { error in
            "\(error)".hasPrefix("JOBHUNT_HTTP_ADDR must be HOST:PORT")
        }
    }
}
