import AMQPClient
import MongoClient

/// Whether a failure means that the broker or the database cannot be reached now (network,
/// timeouts, a node shutting down, no primary yet), as opposed to a mistake that waiting
/// cannot fix (bad credentials, a bad URL, topology declared with other arguments).
///
/// `run` waits out the first kind at start-up (contract §1); every command fails on the second.
enum Reachability {
    static func isUnreachable(_ error: any Error) -> Bool {
        switch error {
        case let error as AMQPError:
            return error.isRetriable
        case let error as MongoError:
            return error.isInfrastructure && error.kind != .authentication
        default:
            return false
        }
    }
}
