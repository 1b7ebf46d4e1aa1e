/// `JOBHUNT_TOPOLOGY`: who declares the AMQP topology.
public enum TopologyMode: String, Sendable, CaseIterable {
    /// `setup` and `run` declare it (idempotent), with the queue arguments the worker needs.
    case declare
    /// An operator declared it centrally (for example from `deploy/rabbitmq/definitions.json`,
    /// with policies in place of queue arguments): `setup` and `run` only check that every
    /// exchange and queue exists. Declaring would fail, since RabbitMQ refuses to redeclare a
    /// queue with arguments it was not created with.
    case verify
}
