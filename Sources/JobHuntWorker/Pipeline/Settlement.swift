import AMQPClient

/// How the reader settles one delivery once its batch is written.
enum Settlement: Sendable, Equatable {
    /// Its effect, its no-op or its dead-letter record is committed: ack it.
    case ack
    /// Its reference is missing: publish a copy to the delay queue of this many seconds, then ack.
    case retry(afterSeconds: Int)
}

/// A batch back from the writer: each delivery with its settlement (nil: leave it unacked).
struct WrittenBatch: Sendable {
    let deliveries: [AMQPDelivery]
    let settlements: [Settlement?]
}
