import AMQPClient
import JobHuntStore
import Logging
import MongoClient

/// What `setup` does and `run` does first: the AMQP topology (declared, or only checked when the
/// operator declares it: `TopologyMode`) and every MongoDB index. Both are idempotent.
public enum Declarations {
    /// Declares the topology on the broker and the indexes in the database.
    public static func apply(_ configuration: WorkerConfiguration, pool: MongoClientPool, logger: Logger) throws {
        let topology = Topology(configuration)
        let connection = try configuration.brokers().connect().connection
        defer { connection.close() }
        switch configuration.topologyMode {
        case .declare:
            try topology.declare(on: connection.openChannel(1))
            logger.info("AMQP topology declared", metadata: [
                "amqp.exchange": "\(topology.exchange)", "amqp.queues": "\(topology.workQueues + [topology.deadQueue])",
            ])
            for legacy in try LegacyDelayQueues(topology: topology).retire(on: connection, channelID: 2) {
                logger.notice("a classic delay queue of an earlier version still holds messages: they drain into their work queue, and the next setup deletes it", metadata: [
                    "amqp.queue": "\(legacy.queue)", "amqp.messages": "\(legacy.messages)",
                ])
            }
        case .verify:
            try topology.verify(on: connection, firstChannel: 1)
            logger.info("AMQP topology found (declared by the operator)", metadata: [
                "amqp.exchange": "\(topology.exchange)", "amqp.queues": "\(topology.allQueues)",
            ])
        }
        try IndexCatalog.ensureIndexes(in: pool.database(configuration.database))
        logger.info("MongoDB indexes ensured", metadata: ["mongodb.database": "\(configuration.database)"])
    }
}
