/// A failure reported by libmongoc, the server, or this module.
///
/// ``description`` is terse on purpose: kind, raw domain and code, labels and the place it was
/// raised, never a server's message (it may quote document values, such as the duplicate key).
/// The message is in ``message`` and ``debugDescription``. Only the messages of server selection,
/// which libmongoc writes about hosts and connections (such as a TLS certificate that did not
/// verify), are shown: without them an operator could not tell why no server was found.
public struct MongoError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, as far as a caller needs to decide what to do.
    public enum Kind: Sendable, Hashable {
        /// A unique index rejected the write (server codes 11000, 11001, 12582).
        case duplicateKey
        /// A concurrent operation changed the same document (server code 112); retry.
        case writeConflict
        /// Any other error the server reported, with its code.
        case server(Int)
        /// The write concern could not be satisfied (the write may still have been applied).
        case writeConcern(Int)
        /// A network failure: connect, read, write, name resolution, wire protocol.
        case network
        /// No suitable server was found within `serverSelectionTimeoutMS`.
        case serverSelection
        /// An operation ran out of time on the server or the network (codes 50, 89, 202, 262).
        case timeout
        /// Authentication failed or was refused.
        case authentication
        /// The client refused the request before sending it: an invalid URI, key, option,
        /// update document or argument.
        case invalidArgument
        /// A transaction was used wrongly (e.g. committed without being started).
        case transaction
        /// The pool was closed before or while the operation wanted a client.
        case poolClosed
        /// A reply could not be decoded as BSON.
        case invalidBSON
        /// Any other libmongoc failure.
        case driver
    }

    /// The classification of this error.
    public let kind: Kind
    /// libmongoc's error domain (`mongoc_error_domain_t`), or 0 when raised by this module.
    public let domain: Int
    /// libmongoc's error code; the server's code for server errors (error API version 2).
    public let code: Int
    /// The human-readable message. Server messages may quote document values: never log it
    /// at a level where user data must not appear. Passwords from a URI are removed.
    public let message: String
    /// The error labels of the reply (`errorLabels`), such as `TransientTransactionError`.
    public let labels: [String]
    /// Where the failing call was made.
    public let fileID: String
    public let line: Int

    /// Creates an error; `domain` and `code` default to 0 for errors raised by this module.
    public init(
        kind: Kind, domain: Int = 0, code: Int = 0, message: String, labels: [String] = [],
        fileID: String = #fileID, line: Int = #line
    ) {
        self.kind = kind
        self.domain = domain
        self.code = code
        self.message = message
        self.labels = labels
        self.fileID = fileID
        self.line = line
    }

    /// Whether a unique index rejected the write.
    public var isDuplicateKey: Bool { kind == .duplicateKey }

    /// Whether this is a failure of the infrastructure rather than of the request: the network,
    /// server selection, timeouts, elections and shutdowns (`NotWritablePrimary` and friends),
    /// write conflicts, authentication, a closed pool, or anything labelled retryable by the
    /// server or libmongoc. Such a failure should be retried later, never blamed on the message
    /// that happened to be in flight.
    public var isInfrastructure: Bool {
        if labels.contains(where: Self.retryableLabels.contains) { return true }
        switch kind {
        case .network, .serverSelection, .timeout, .authentication, .poolClosed, .writeConflict:
            return true
        case .server(let code), .writeConcern(let code):
            return Self.infrastructureCodes.contains(code)
        case .duplicateKey, .invalidArgument, .transaction, .invalidBSON, .driver:
            return false
        }
    }

    /// Whether the reply carries `label`.
    public func hasLabel(_ label: String) -> Bool { labels.contains(label) }

    public var description: String {
        let labelText = labels.isEmpty ? "" : ", labels: \(labels.joined(separator: ","))"
        let reason = kind == .serverSelection ? ": \(message)" : ""
        return "MongoError(\(kind), domain: \(domain), code: \(code)\(labelText)) at \(fileID):\(line)\(reason)"
    }

    public var debugDescription: String { "\(description): \(message)" }

    /// Labels that mark an error as transient (retryable writes, transactions, SDAM).
    static let retryableLabels: Set<String> = [
        "RetryableWriteError", "TransientTransactionError", "UnknownTransactionCommitResult",
        "NetworkError", "ResetPool", "SystemOverloadedError", "RetryableError",
    ]

    /// Server codes that mean "the deployment is not able to do this right now".
    static let infrastructureCodes: Set<Int> = [
        6,      // HostUnreachable
        7,      // HostNotFound
        13,     // Unauthorized: a deployment/permission problem, not the message's fault
        18,     // AuthenticationFailed
        24,     // LockTimeout
        43,     // CursorNotFound (killed by a failover or restart)
        46,     // LockBusy
        50,     // MaxTimeMSExpired
        63,     // StaleShardVersion
        64,     // WriteConcernFailed (wtimeout)
        89,     // NetworkTimeout
        91,     // ShutdownInProgress
        112,    // WriteConflict
        133,    // FailedToSatisfyReadPreference
        134,    // ReadConcernMajorityNotAvailableYet
        150,    // StaleEpoch
        189,    // PrimarySteppedDown
        202,    // NetworkInterfaceExceededTimeLimit
        237,    // CursorKilled
        251,    // NoSuchTransaction
        262,    // ExceededTimeLimit
        279,    // ClientDisconnect
        290,    // TransactionExceededLifetimeLimitSeconds
        9001,   // SocketException
        10058,  // LegacyNotPrimary
        10107,  // NotWritablePrimary
        11600,  // InterruptedAtShutdown
        11601,  // Interrupted
        11602,  // InterruptedDueToReplStateChange
        13388,  // StaleConfig
        13435,  // NotPrimaryNoSecondaryOk
        13436,  // NotPrimaryOrSecondary
        14031,  // OutOfDiskSpace
    ]

    /// Server codes meaning a unique index rejected a write.
    static let duplicateKeyCodes: Set<Int> = [11000, 11001, 12582]

    /// The kind for a server-reported code.
    static func kind(forServerCode code: Int) -> Kind {
        switch code {
        case _ where duplicateKeyCodes.contains(code): return .duplicateKey
        case 112: return .writeConflict
        case 50, 89, 202, 262: return .timeout
        case 18: return .authentication
        default: return .server(code)
        }
    }
}
