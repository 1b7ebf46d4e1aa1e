import CMongoC

/// A logical session, bound to the client it was started on, valid only inside
/// ``MongoClientPool/withSession(fileID:line:_:)``. Pass it as the `session:` argument of
/// collection and database operations to run them in the session (and in its transaction).
///
/// Not `Sendable`: a session and its client belong to the thread that runs `withSession`.
public final class MongoSession {
    private let pool: MongoClientPool
    private let clientHandle: OpaquePointer  // mongoc_client_t, popped by withSession, not owned here
    private var handle: OpaquePointer?  // mongoc_client_session_t, owned; nil once ended

    init(pool: MongoClientPool, client: OpaquePointer, handle: OpaquePointer) {
        self.pool = pool
        self.clientHandle = client
        self.handle = handle
    }

    /// Destroys the session (libmongoc aborts a transaction still in progress).
    func end() {
        if let handle { mongoc_client_session_destroy(handle) }
        handle = nil
    }

    private func liveHandle(fileID: String, line: Int) throws -> OpaquePointer {
        guard let handle else {
            throw MongoError(kind: .invalidArgument, message: "session used after withSession returned", fileID: fileID, line: line)
        }
        return handle
    }

    /// The client to run an operation on: the session's own, which must come from `pool`.
    func client(for pool: MongoClientPool, fileID: String, line: Int) throws -> OpaquePointer {
        _ = try liveHandle(fileID: fileID, line: line)
        guard pool === self.pool else {
            throw MongoError(kind: .invalidArgument, message: "session belongs to another pool", fileID: fileID, line: line)
        }
        return clientHandle
    }

    /// Appends this session's id to an options document (`mongoc_client_session_append`).
    func append(to options: OpaquePointer, fileID: String, line: Int) throws {
        let handle = try liveHandle(fileID: fileID, line: line)
        try checking(fileID: fileID, line: line) { mongoc_client_session_append(handle, options, $0) }
    }

    /// Whether a transaction is in progress.
    public var isInTransaction: Bool {
        handle.map { mongoc_client_session_in_transaction($0) } ?? false
    }

    /// Runs `body` in a transaction and commits it, following the MongoDB convenient-
    /// transaction rules: when `body` or the commit fails with the label
    /// `TransientTransactionError`, the whole transaction (including `body`) is retried; a
    /// commit failing with `UnknownTransactionCommitResult` is retried on its own; both only
    /// until `timeLimit` has passed since the first attempt.
    ///
    /// Any error thrown by `body` aborts the transaction (nothing it wrote is kept) and is
    /// rethrown. `body` may run more than once, so it must not have effects outside the
    /// transaction that cannot be repeated. Every operation in `body` must pass this session.
    public func withTransaction<R>(
        timeLimit: Duration = .seconds(120), fileID: String = #fileID, line: Int = #line,
        _ body: () throws -> R
    ) throws -> R {
        let handle = try liveHandle(fileID: fileID, line: line)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeLimit)
        attempt: while true {
            try checking(fileID: fileID, line: line) {
                mongoc_client_session_start_transaction(handle, nil, $0)
            }
            let result: R
            do {
                result = try body()
            } catch {
                abortQuietly(handle)
                if let mongoError = error as? MongoError, mongoError.hasLabel("TransientTransactionError"),
                   clock.now < deadline {
                    continue attempt
                }
                throw error
            }
            guard mongoc_client_session_in_transaction(handle) else {
                return result  // body committed or aborted it itself
            }
            while true {
                do {
                    _ = try withReply(fileID: fileID, line: line) { reply, error in
                        mongoc_client_session_commit_transaction(handle, reply, error)
                    }
                    return result
                } catch let error as MongoError where clock.now < deadline {
                    if error.hasLabel("UnknownTransactionCommitResult") && error.code != 50 {
                        continue  // retry the commit alone (libmongoc then uses w: majority)
                    }
                    if error.hasLabel("TransientTransactionError") {
                        continue attempt
                    }
                    throw error
                }
            }
        }
    }

    private func abortQuietly(_ handle: OpaquePointer) {
        guard mongoc_client_session_in_transaction(handle) else { return }
        var error = bson_error_t()
        // A failed abort is ignored: the server aborts the transaction on its own.
        _ = mongoc_client_session_abort_transaction(handle, &error)
    }
}
