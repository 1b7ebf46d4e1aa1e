import Synchronization

/// A flag that asks blocking loops on dedicated threads to finish their work and return.
public final class StopSignal: Sendable {
    private let raised = Atomic<Bool>(false)

    /// A signal that is not raised.
    public init() {}

    /// Asks every loop watching this signal to stop.
    public func raise() { raised.store(true, ordering: .releasing) }

    /// Whether `raise()` was called.
    public var isRaised: Bool { raised.load(ordering: .acquiring) }
}
