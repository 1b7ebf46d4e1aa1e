import ArgumentParser

/// `jobhunt-worker`: the one executable of contract §2.
@main
struct JobHuntWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobhunt-worker",
        abstract: "Consumes job-hunt events from RabbitMQ and applies them to MongoDB.",
        discussion: """
            Configuration comes from the environment (AMQP_URL, MONGODB_URI, MONGODB_DATABASE,
            JOBHUNT_EXCHANGE, JOBHUNT_QUEUE_PREFIX, JOBHUNT_RETRY_WINDOW_S, JOBHUNT_PREFETCH,
            JOBHUNT_BATCH_SIZE, JOBHUNT_BATCH_WAIT_MS, JOBHUNT_CONSUMERS, JOBHUNT_HEARTBEAT_S, JOBHUNT_DELIVERY_LIMIT, JOBHUNT_DRAIN_TIMEOUT_S,
            JOBHUNT_HTTP_ADDR (HOST:PORT of /livez, /readyz and /metrics; unset: off), JOBHUNT_STUCK_AFTER_S
            (seconds without progress before /livez says stuck; 120),
            JOBHUNT_LOG_LEVEL); the flags of each command override it. AMQP_URL and MONGODB_URI may
            instead be read from a file: AMQP_URL_FILE and MONGODB_URI_FILE name it (whitespace
            around the value is dropped).
            """,
        subcommands: [RunCommand.self, SetupCommand.self, PublishCommand.self, DeadLetterCommand.self, StatsCommand.self]
    )
}
