import AMQPClient

/// One connection's worth of a queue: deliveries in, acks and retry copies out. A consumer
/// opens one (through its `connect` function), uses it from its reader thread only, and
/// closes it when it stops or fails; after any error it opens a new one.
///
/// Closing without acking hands every unacked delivery back to the broker: exactly what a
/// killed process does.
protocol DeliverySource: AnyObject {
    /// Waits up to `timeout` until something has arrived (keeping the connection alive);
    /// returns whether something has.
    func waitUntilReadable(timeout: Duration) throws -> Bool
    /// The next delivery that has already arrived, without waiting; nil when there is none.
    func nextDelivery() throws -> AMQPDelivery?
    /// Acks `deliveryTag`, and with `multiple` every earlier unacked tag of this source too.
    func ack(deliveryTag: UInt64, multiple: Bool) throws
    /// Publishes a copy of `delivery` that comes back to its queue after `seconds`.
    func publishRetryCopy(of delivery: AMQPDelivery, afterSeconds seconds: Int) throws
    /// Waits until the broker has taken every copy published so far; throws if one was not
    /// taken.
    func confirmRetryCopies() throws
    /// Asks the broker to stop delivering. Deliveries it sent before may still arrive.
    func cancelConsuming() throws
    /// Closes the connection; what is unacked goes back to the queue.
    func close()
}
