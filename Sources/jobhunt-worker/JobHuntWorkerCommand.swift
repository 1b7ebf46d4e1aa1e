import ArgumentParser

/// `jobhunt-worker`: the one executable of contract §2.
@main
struct JobHuntWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobhunt-worker",
        abstract: "Consumes job-hunt events from RabbitMQ and applies them to MongoDB.",
        discussion: """
            Configuration comes from the environment; each command's flags override it.
            Connections: AMQP_URL, MONGODB_URI (or AMQP_URL_FILE, MONGODB_URI_FILE: a file
            holding the value), MONGODB_DATABASE, AMQP_TLS_CA_FILE, AMQP_TLS_CERT_FILE,
            AMQP_TLS_KEY_FILE.
            Names: JOBHUNT_EXCHANGE, JOBHUNT_QUEUE_PREFIX, JOBHUNT_TOPOLOGY (declare|verify).
            Consuming: JOBHUNT_RETRY_WINDOW_S, JOBHUNT_PREFETCH, JOBHUNT_BATCH_SIZE,
            JOBHUNT_BATCH_WAIT_MS, JOBHUNT_CONSUMERS, JOBHUNT_USER_PARTITIONS,
            JOBHUNT_HEARTBEAT_S, JOBHUNT_DELIVERY_LIMIT, JOBHUNT_DRAIN_TIMEOUT_S.
            Operations: JOBHUNT_HTTP_ADDR (HOST:PORT of /livez, /readyz, /metrics; unset:
            off), JOBHUNT_STUCK_AFTER_S, JOBHUNT_LOG_LEVEL.
            The README's configuration table says what each means and its default.
            """,
        subcommands: [RunCommand.self, SetupCommand.self, PublishCommand.self, DeadLetterCommand.self, StatsCommand.self]
    )
}
