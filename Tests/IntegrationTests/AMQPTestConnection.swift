import AMQPClient

extension TestBed {
    /// A channel on a connection of the test's own, for looking into queues. The channel keeps
    /// its connection alive; the connection closes when the last reference goes.
    func openChannel() throws -> AMQPChannel {
        try configuration.brokers().connect().connection.openChannel(1)
    }
}
