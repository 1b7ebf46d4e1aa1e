import AMQPClient
import JobHuntStore

extension DeadLetter {
    /// The headers the message arrived with, as AMQP headers again: what a replay publishes.
    /// The reverse of what `MongoDeadLetterRecorder` stored.
    var amqpHeaders: AMQPTable { HeaderDocument.table(from: failure.headers) }
}
