import CMongoC
import Dispatch
import Synchronization

/// A pool of connections to one MongoDB deployment: the only MongoDB object to share.
///
/// Every operation pops a client from the pool, uses it on the calling thread and pushes it
/// back; no client is ever shared between threads. All calls block the calling thread (run
/// them on threads of your own, not on the Swift concurrency pool). When all clients are in
/// use (`maxPoolSize` in the URI, default 100) an operation waits for one.
///
/// `@unchecked Sendable`: `mongoc_client_pool_t` is thread-safe (its pop and push are
/// synchronised), and the only mutable Swift state (closed flag, clients in use) is in a
/// `Mutex`. The clients themselves never leave the operation that popped them.
public final class MongoClientPool: @unchecked Sendable {
    private let pool: OpaquePointer  // mongoc_client_pool_t, destroyed exactly once
    private let state = Mutex(State())
    private struct State {
        var closed = false
        var clientsInUse = 0
    }
    /// Signalled once, by the operation that gives back the last client after `close()` found
    /// some in use: what `close()` waits for before destroying the pool (a `Mutex` cannot wait
    /// for a condition).
    private let drained = DispatchSemaphore(value: 0)
    /// Whether the URI asks for `w=majority`: nil when it sets no write concern (the server's
    /// default then applies: `majority` on MongoDB 5.0+ replica sets without arbiters).
    public let requestsMajorityWrites: Bool?

    /// Connects lazily to the deployment `uri` names (any URI libmongoc accepts).
    ///
    /// - Parameters:
    ///   - uri: a `mongodb://` or `mongodb+srv://` connection string.
    ///   - appName: reported to the server in the handshake unless the URI sets `appname`.
    /// - Throws: ``MongoError`` of kind ``MongoError/Kind/invalidArgument`` for an invalid URI;
    ///   its message never contains the URI's password.
    public init(uri: String, appName: String? = nil, fileID: String = #fileID, line: Int = #line) throws {
        LibMongoc.initialize()
        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(uri, &error) else {
            throw Self.uriError(error, uri: uri, fileID: fileID, line: line)
        }
        defer { mongoc_uri_destroy(parsed) }
        let concern = mongoc_uri_get_write_concern(parsed)
        requestsMajorityWrites = concern.map { mongoc_write_concern_is_default($0) ? nil : mongoc_write_concern_get_wmajority($0) } ?? nil
        if let appName, mongoc_uri_get_appname(parsed) == nil {
            guard mongoc_uri_set_appname(parsed, appName) else {
                throw MongoError(
                    kind: .invalidArgument, message: "appName is longer than 128 bytes", fileID: fileID, line: line)
            }
        }
        guard let pool = mongoc_client_pool_new_with_error(parsed, &error) else {
            throw Self.uriError(error, uri: uri, fileID: fileID, line: line)
        }
        guard mongoc_client_pool_set_error_api(pool, Int32(MONGOC_ERROR_API_VERSION_2)) else {
            mongoc_client_pool_destroy(pool)
            throw MongoError(kind: .driver, message: "could not set error API version 2", fileID: fileID, line: line)
        }
        self.pool = pool
    }

    private static func uriError(_ error: bson_error_t, uri: String, fileID: String, line: Int) -> MongoError {
        let mapped = MongoError(libmongoc: error, reply: nil, fileID: fileID, line: line)
        return MongoError(
            kind: .invalidArgument, domain: mapped.domain, code: mapped.code,
            message: "invalid MongoDB URI: " + redactingSecrets(of: uri, in: mapped.message),
            fileID: fileID, line: line
        )
    }

    /// Closes every connection. Waits for operations in progress on other threads to return
    /// their clients first (so never call it from inside an operation's closure); later
    /// operations fail with ``MongoError/Kind/poolClosed``. Calling it again does nothing.
    public func close() {
        // nil when closed already. Once closed, no operation starts: the count only goes down,
        // and the operation that brings it to 0 signals `drained`.
        let mustWait = state.withLock { state -> Bool? in
            guard !state.closed else { return nil }
            state.closed = true
            return state.clientsInUse > 0
        }
        guard let mustWait else { return }
        if mustWait { drained.wait() }
        mongoc_client_pool_destroy(pool)
    }

    deinit {
        // No operation can be in progress: each one holds a reference to the pool.
        if !state.withLock({ $0.closed }) { mongoc_client_pool_destroy(pool) }
    }

    /// The database `name` (no I/O).
    public func database(_ name: String) -> MongoDatabase {
        MongoDatabase(pool: self, name: name)
    }

    /// Runs `body` with a client popped from the pool (or the session's client, when a
    /// session is given) and pushes it back afterwards. The pointer must not escape `body`.
    func withClient<R>(
        session: MongoSession?, fileID: String, line: Int, _ body: (OpaquePointer) throws -> R
    ) throws -> R {
        if let session {
            return try body(session.client(for: self, fileID: fileID, line: line))
        }
        let open = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.clientsInUse += 1
            return true
        }
        guard open else {
            throw MongoError(kind: .poolClosed, message: "the client pool is closed", fileID: fileID, line: line)
        }
        defer {
            let last = state.withLock { state -> Bool in
                state.clientsInUse -= 1
                return state.closed && state.clientsInUse == 0
            }
            if last { drained.signal() }
        }
        guard let client = mongoc_client_pool_pop(pool) else {
            throw MongoError(kind: .driver, message: "the pool returned no client", fileID: fileID, line: line)
        }
        defer { mongoc_client_pool_push(pool, client) }
        return try body(client)
    }

    /// Runs `body` with a new session. The session keeps its client popped until `body`
    /// returns, then ends (aborting a transaction left open). Pass it as `session:` to run
    /// operations in it; it must not be used after `body` returns or from another thread.
    public func withSession<R>(
        fileID: String = #fileID, line: Int = #line, _ body: (MongoSession) throws -> R
    ) throws -> R {
        try withClient(session: nil, fileID: fileID, line: line) { client in
            var error = bson_error_t()
            guard let handle = mongoc_client_start_session(client, nil, &error) else {
                throw MongoError(libmongoc: error, reply: nil, fileID: fileID, line: line)
            }
            let session = MongoSession(pool: self, client: client, handle: handle)
            defer { session.end() }
            return try body(session)
        }
    }
}
