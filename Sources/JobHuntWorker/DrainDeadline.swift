import Foundation
import Logging

/// Ends the process if a shutdown has not finished draining within its time limit.
///
/// A consumer can be stuck inside a libmongoc or librabbitmq call that nothing can interrupt
/// (a database connection that stalls holds a write for up to `socketTimeoutMS`, 5 minutes by
/// default). Supervisors kill a process that overstays its grace period anyway; leaving first,
/// with exit 0, is the same for the messages: what the stuck consumers hold is unacked, so the
/// broker delivers it again, and nothing was acked before its effect was committed. Exiting
/// this way skips closing the MongoDB pool, which would wait for the stuck call.
final class DrainDeadline: Sendable {
    private let drained = StopSignal()

    /// Starts the clock: after `limit`, unless `drainFinished()` was called, logs why and exits 0.
    init(limit: Duration, logger: Logger) {
        let drained = drained
        let thread = Thread {
            let deadline = ContinuousClock.now + limit
            while !drained.isRaised, ContinuousClock.now < deadline {
                blockingSleep(.milliseconds(100))
            }
            guard !drained.isRaised else { return }
            logger.warning("the drain did not finish in time: a consumer is stuck in a call to the database or the broker. Exiting; what it holds is unacked, and the broker delivers it again", metadata: [
                "drain_timeout_s": "\(limit.components.seconds)",
            ])
            exit(0)
        }
        thread.name = "drain-deadline"
        thread.start()
    }

    /// Every consumer has returned: the deadline no longer applies.
    func drainFinished() { drained.raise() }
}
