import CMongoC

/// A database of a pool: a name, no connection of its own. Cheap to create and copy.
public struct MongoDatabase: Sendable {
    /// The pool operations run on.
    public let pool: MongoClientPool
    /// The database name.
    public let name: String

    public init(pool: MongoClientPool, name: String) {
        self.pool = pool
        self.name = name
    }

    /// The collection `name` of this database (no I/O).
    public func collection(_ name: String) -> MongoCollection {
        MongoCollection(database: self, name: name)
    }

    /// Runs a database command (`mongoc_client_command_with_opts`, primary read preference)
    /// and returns the server's reply.
    ///
    /// - Throws: ``MongoError`` when the command fails or the reply has `ok: 0`.
    @discardableResult
    public func runCommand(
        _ command: BSONDocument, session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line
    ) throws -> BSONDocument {
        try pool.withClient(session: session, fileID: fileID, line: line) { client in
            try command.withBSON { commandBSON in
                try withOptions(nil, session: session, fileID: fileID, line: line) { opts in
                    try withReply(fileID: fileID, line: line) { reply, error in
                        mongoc_client_command_with_opts(client, name, commandBSON, nil, opts, reply, error)
                    }
                }
            }
        }
    }

    /// Drops the database and everything in it. Dropping a database that does not exist succeeds.
    public func drop(session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line) throws {
        try withDatabase(session: session, fileID: fileID, line: line) { database in
            try withOptions(nil, session: session, fileID: fileID, line: line) { opts in
                try checking(fileID: fileID, line: line) { mongoc_database_drop_with_opts(database, opts, $0) }
            }
        }
    }

    /// The names of the collections in this database.
    public func listCollectionNames(
        session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line
    ) throws -> [String] {
        try withDatabase(session: session, fileID: fileID, line: line) { database in
            try withOptions(["nameOnly": true], session: session, fileID: fileID, line: line) { opts in
                var names: [String] = []
                let cursor = mongoc_database_find_collections_with_opts(database, opts)
                try drain(cursor: cursor, fileID: fileID, line: line) { info in
                    if let name = info.string("name") { names.append(name) }
                }
                return names
            }
        }
    }

    private func withDatabase<R>(
        session: MongoSession?, fileID: String, line: Int, _ body: (OpaquePointer) throws -> R
    ) throws -> R {
        try pool.withClient(session: session, fileID: fileID, line: line) { client in
            guard let database = mongoc_client_get_database(client, name) else {
                throw MongoError(kind: .driver, message: "no database handle", fileID: fileID, line: line)
            }
            defer { mongoc_database_destroy(database) }
            return try body(database)
        }
    }
}

/// Calls `body` with libmongoc `opts` holding `options` plus the session id, or with `nil`
/// when there is neither. The pointer is valid only inside `body`.
func withOptions<R>(
    _ options: BSONDocument?, session: MongoSession?, fileID: String, line: Int,
    _ body: (OpaquePointer?) throws -> R
) throws -> R {
    guard session != nil || !(options?.isEmpty ?? true) else { return try body(nil) }
    return try (options ?? [:]).withMutableBSON { opts in
        try session?.append(to: opts, fileID: fileID, line: line)
        return try body(opts)
    }
}
