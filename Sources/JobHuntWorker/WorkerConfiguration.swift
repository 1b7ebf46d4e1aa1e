import AMQPClient
import Foundation
import OperationsHTTP

/// Everything the worker is configured with (contract §1). Each value comes from the
/// environment, and command-line flags of the same meaning may override it.
///
/// `description` never shows a password: both URLs are redacted.
public struct WorkerConfiguration: Sendable, CustomStringConvertible {
    /// `AMQP_URL`: the broker, or the nodes of one cluster separated by commas; `amqps://` for TLS.
    /// Parsed when set: `validate()` reports a bad one, `brokers()` gives the parsed nodes.
    public var amqpURL: String {
        get { amqp.list }
        set { amqp = ParsedBrokers(newValue) }
    }
    private var amqp = ParsedBrokers("amqp://guest:guest@127.0.0.1:5672/%2f")
    /// `AMQP_TLS_CA_FILE`, `AMQP_TLS_CERT_FILE`, `AMQP_TLS_KEY_FILE` (see `AMQPTLSFiles`):
    /// used by every `amqps://` connection of `brokers()`.
    public var amqpTLS = AMQPTLSConfiguration()
    /// `MONGODB_URI`: any URI libmongoc accepts.
    public var mongoURI: String = "mongodb://127.0.0.1:27017/?replicaSet=rs0"
    /// `MONGODB_DATABASE`.
    public var database: String = "aijobhunt_db"
    /// `JOBHUNT_EXCHANGE`: the topic exchange producers publish to.
    public var exchange: String = "jobhunt.events"
    /// `JOBHUNT_QUEUE_PREFIX`: prefix of every queue and of the dead-letter exchange.
    public var queuePrefix: String = "jobhunt"
    /// `JOBHUNT_RETRY_WINDOW_S`: how long a missing reference is retried before it is dead.
    public var retryWindowSeconds: Int = 300
    /// `JOBHUNT_PREFETCH`: unacknowledged deliveries each consumer may hold. With twice the
    /// batch size, the next batch fills while the current one is written.
    public var prefetch: Int = 2_000
    /// `JOBHUNT_BATCH_SIZE`: the most deliveries written as one batch.
    public var batchSize: Int = 1_000
    /// `JOBHUNT_BATCH_WAIT_MS`: how long the first delivery of a batch may wait for company
    /// while the writer is idle (a lone event is not held longer than this).
    public var batchWaitMilliseconds: Int = 5
    /// `JOBHUNT_CONSUMERS`: consumers (connections) per work queue in this process.
    public var consumersPerQueue: Int = 1
    /// `JOBHUNT_USER_PARTITIONS`: the parts (one transaction each, committed at once) that a
    /// batch of matches or interactions is split into by user.
    public var userPartitions: Int = 4
    /// `JOBHUNT_DELIVERY_LIMIT`: deliveries after which the broker dead-letters a message
    /// (`poison`). Restarts and lost connections count too, so it stays well above 20.
    public var deliveryLimit: Int = 50
    /// `JOBHUNT_HEARTBEAT_S`: the AMQP heartbeat the consumers ask for (the broker may lower it).
    /// Each consumer's reader keeps answering it while its writer waits on the database.
    public var heartbeatSeconds: Int = 30
    /// `JOBHUNT_DRAIN_TIMEOUT_S`: how long `run` may take to drain after SIGTERM before it exits
    /// regardless (a consumer stuck in a call to a stalled server; what it holds stays unacked).
    /// Keep it below the supervisor's grace period (Kubernetes: 30 s by default).
    public var drainTimeoutSeconds: Int = 25
    /// `JOBHUNT_STUCK_AFTER_S`: how long a consumer's reader, or its writer while it holds a
    /// batch, may go without a sign of progress before `/livez` calls it stuck (`HealthBoard`).
    public var stuckAfterSeconds: Int = 120
    /// `JOBHUNT_TOPOLOGY`: `declare` (the default) or `verify` (see `TopologyMode`).
    public var topologyMode: TopologyMode = .declare
    /// `JOBHUNT_HTTP_ADDR`: `HOST:PORT` of the operations endpoints (`/livez`, `/readyz`,
    /// `/metrics`); nil (unset or empty): none. Parsed when read, so a malformed one is a usage error.
    public var httpAddress: HTTPAddress?

    /// The defaults of the contract.
    public init() {}

    /// The defaults, overridden by whichever variables `environment` sets.
    public init(environment: [String: String]) throws(ConfigurationError) {
        self.init()
        if let value = try Self.secret("AMQP_URL", in: environment) { amqpURL = value }
        if let value = try Self.secret("MONGODB_URI", in: environment) { mongoURI = value }
        amqpTLS = try AMQPTLSFiles.configuration(in: environment)
        if let value = environment["MONGODB_DATABASE"] { database = value }
        if let value = environment["JOBHUNT_EXCHANGE"] { exchange = value }
        if let value = environment["JOBHUNT_QUEUE_PREFIX"] { queuePrefix = value }
        if let value = environment["JOBHUNT_TOPOLOGY"] {
            guard let mode = TopologyMode(rawValue: value) else {
                throw ConfigurationError("JOBHUNT_TOPOLOGY must be one of \(TopologyMode.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'")
            }
            topologyMode = mode
        }
        if let value = environment["JOBHUNT_HTTP_ADDR"], !value.isEmpty {
            do {
                httpAddress = try HTTPAddress(value)
            } catch {
                throw ConfigurationError("JOBHUNT_HTTP_ADDR must be HOST:PORT: \(error)")
            }
        }
        for setting in Self.integerSettings {
            if let value = environment[setting.variable] {
                guard let number = Int(value) else { throw setting.outOfRange(named: setting.variable) }
                try set(setting, to: number, named: setting.variable)
            }
        }
    }

    /// The value of the secret variable `name` (`AMQP_URL`, `MONGODB_URI`) in `environment`:
    /// the variable itself, or else the contents of the file that `<name>_FILE` names (how
    /// container platforms mount secrets); nil when neither is set. Setting both is an error
    /// naming both. The file is read by ``secretFromFile(atPath:named:)``.
    public static func secret(_ name: String, in environment: [String: String]) throws(ConfigurationError) -> String? {
        let fileVariable = name + "_FILE"
        switch (environment[name], environment[fileVariable]) {
        case (nil, nil): return nil
        case (let value?, nil): return value
        case (nil, let path?): return try secretFromFile(atPath: path, named: fileVariable)
        case (.some, .some): throw ConfigurationError("\(name) and \(fileVariable) are both set; set only one of them")
        }
    }

    /// The largest secret file read: a URL is far smaller, a bigger file is a mistake.
    public static let secretFileLimit = 64 * 1024

    /// The secret in the file at `path`, named `name` (the variable or flag that gave the path)
    /// in errors. Whitespace and newlines around the value are dropped (such files usually end
    /// with a newline). An unreadable, empty (or whitespace-only), over-large or non-UTF-8 file
    /// is an error naming `name`, the path and the reason, never a byte of the contents.
    public static func secretFromFile(atPath path: String, named name: String) throws(ConfigurationError) -> String {
        guard !path.isEmpty else { throw ConfigurationError("\(name) is empty; it must be the path of a file") }
        func failure(_ reason: String) -> ConfigurationError { ConfigurationError("\(name): cannot use \(path): \(reason)") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
            guard bytes.count <= secretFileLimit else { throw failure("larger than \(secretFileLimit / 1024) KiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw failure("not UTF-8 text") }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw failure("the file is empty") }
        return value
    }

    /// A whole-number setting: its variable, the values it accepts, and where it goes.
    public struct IntegerSetting: Sendable {
        public let variable: String
        public let range: ClosedRange<Int>
        let keyPath: WritableKeyPath<WorkerConfiguration, Int> & Sendable

        func outOfRange(named name: String) -> ConfigurationError {
            ConfigurationError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    /// Every whole-number setting, by its environment variable.
    public static let integerSettings: [IntegerSetting] = [
        IntegerSetting(variable: "JOBHUNT_RETRY_WINDOW_S", range: 1...604_800, keyPath: \.retryWindowSeconds),
        IntegerSetting(variable: "JOBHUNT_PREFETCH", range: 1...65_535, keyPath: \.prefetch),
        IntegerSetting(variable: "JOBHUNT_BATCH_SIZE", range: 1...10_000, keyPath: \.batchSize),
        IntegerSetting(variable: "JOBHUNT_BATCH_WAIT_MS", range: 0...10_000, keyPath: \.batchWaitMilliseconds),
        IntegerSetting(variable: "JOBHUNT_CONSUMERS", range: 1...64, keyPath: \.consumersPerQueue),
        IntegerSetting(variable: "JOBHUNT_USER_PARTITIONS", range: 1...64, keyPath: \.userPartitions),
        IntegerSetting(variable: "JOBHUNT_HEARTBEAT_S", range: 1...600, keyPath: \.heartbeatSeconds),
        IntegerSetting(variable: "JOBHUNT_DELIVERY_LIMIT", range: 1...10_000, keyPath: \.deliveryLimit),
        IntegerSetting(variable: "JOBHUNT_DRAIN_TIMEOUT_S", range: 1...86_400, keyPath: \.drainTimeoutSeconds),
        IntegerSetting(variable: "JOBHUNT_STUCK_AFTER_S", range: 1...86_400, keyPath: \.stuckAfterSeconds),
    ]

    /// Sets the integer setting of `variable` to `value`, checked against its range; an error
    /// names `name` (the variable, or the flag that gave the value).
    public mutating func set(_ variable: String, to value: Int, named name: String) throws(ConfigurationError) {
        guard let setting = Self.integerSettings.first(where: { $0.variable == variable }) else {
            throw ConfigurationError("\(variable) is not a whole-number setting")
        }
        try set(setting, to: value, named: name)
    }

    private mutating func set(_ setting: IntegerSetting, to value: Int, named name: String) throws(ConfigurationError) {
        guard setting.range.contains(value) else { throw setting.outOfRange(named: name) }
        self[keyPath: setting.keyPath] = value
    }

    /// The brokers of `amqpURL`, as parsed when it was set, connecting with `amqpTLS`.
    public func brokers() throws(ConfigurationError) -> Brokers {
        var brokers = try amqp.brokers.get()
        brokers.tls = amqpTLS
        return brokers
    }

    /// Checks the values that no server would check for us.
    public func validate() throws(ConfigurationError) {
        let nodes = try brokers().urls
        if AMQPTLSFiles.isSet(amqpTLS), nodes.contains(where: { !$0.isTLS }) {
            throw ConfigurationError("AMQP_TLS_* files are set but AMQP_URL has an amqp:// URL; use amqps://")
        }
        for (name, value) in [("MONGODB_DATABASE", database), ("JOBHUNT_EXCHANGE", exchange), ("JOBHUNT_QUEUE_PREFIX", queuePrefix)] {
            if value.isEmpty || value.utf8.count > 200 {
                throw ConfigurationError("\(name) must be 1 to 200 characters")
            }
        }
        if database.contains(where: { "/\\. \"$".contains($0) }) {
            throw ConfigurationError("MONGODB_DATABASE must not contain / \\ . space \" or $")
        }
    }

    public var description: String {
        "amqp=\(Redaction.urlList(amqpURL)) mongodb=\(Redaction.url(mongoURI)) database=\(database) "
            + "exchange=\(exchange) queue_prefix=\(queuePrefix) retry_window_s=\(retryWindowSeconds) "
            + "prefetch=\(prefetch) batch_size=\(batchSize) batch_wait_ms=\(batchWaitMilliseconds) "
            + "consumers=\(consumersPerQueue) user_partitions=\(userPartitions) heartbeat_s=\(heartbeatSeconds) delivery_limit=\(deliveryLimit) "
            + "drain_timeout_s=\(drainTimeoutSeconds) stuck_after_s=\(stuckAfterSeconds) topology=\(topologyMode.rawValue) http_addr=\(httpAddress.map { "\($0)" } ?? "off")"
            + (amqpTLS.caCertificatePath.map { " amqp_tls_ca=\($0)" } ?? "")
            + (amqpTLS.clientCertificatePath.map { " amqp_tls_cert=\($0)" } ?? "")
    }
}

/// A broker list and what parsing it gave, so that each connection reuses the parse.
private struct ParsedBrokers: Sendable {
    let list: String
    let brokers: Result<Brokers, ConfigurationError>

    init(_ list: String) {
        self.list = list
        brokers = Result { () throws(ConfigurationError) in try Brokers(list) }
    }
}

/// A configuration value that cannot work. The message names the setting, never a secret.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
