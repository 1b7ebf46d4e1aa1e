import CMongoC

/// A collection of a database: names only, no connection of its own. Cheap to create and copy.
///
/// Every operation blocks the calling thread, pops a client for its duration (or uses the
/// session's client) and takes an optional `session:` to run inside that session's transaction.
/// Reads use the primary unless the URI says otherwise.
public struct MongoCollection: Sendable {
    /// The database this collection belongs to.
    public let database: MongoDatabase
    /// The collection name.
    public let name: String

    public init(database: MongoDatabase, name: String) {
        self.database = database
        self.name = name
    }

    /// The pool operations run on.
    public var pool: MongoClientPool { database.pool }

    /// Runs `body` with a `mongoc_collection_t` for this collection, destroyed afterwards.
    func withCollection<R>(
        session: MongoSession?, fileID: String, line: Int, _ body: (OpaquePointer) throws -> R
    ) throws -> R {
        try pool.withClient(session: session, fileID: fileID, line: line) { client in
            guard let collection = mongoc_client_get_collection(client, database.name, name) else {
                throw MongoError(kind: .driver, message: "no collection handle", fileID: fileID, line: line)
            }
            defer { mongoc_collection_destroy(collection) }
            return try body(collection)
        }
    }

    // MARK: - Reads

    /// Calls `body` with each document matching `filter`, in order, as the cursor delivers
    /// them (memory stays bounded by one batch). An error thrown by `body` stops the iteration.
    public func find(
        filter: BSONDocument = [:], options: FindOptions = FindOptions(), session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line, forEach body: (BSONDocument) throws -> Void
    ) throws {
        try withCollection(session: session, fileID: fileID, line: line) { collection in
            try filter.withBSON { filterBSON in
                try withOptions(options.document, session: session, fileID: fileID, line: line) { opts in
                    let cursor = mongoc_collection_find_with_opts(collection, filterBSON, opts, nil)
                    try drain(cursor: cursor, fileID: fileID, line: line, body)
                }
            }
        }
    }

    /// The documents matching `filter`.
    public func find(
        filter: BSONDocument = [:], options: FindOptions = FindOptions(), session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line
    ) throws -> [BSONDocument] {
        var documents: [BSONDocument] = []
        try find(filter: filter, options: options, session: session, fileID: fileID, line: line) {
            documents.append($0)
        }
        return documents
    }

    /// The first document matching `filter` (in `options.sort` order), or `nil`.
    public func findOne(
        filter: BSONDocument = [:], options: FindOptions = FindOptions(), session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line
    ) throws -> BSONDocument? {
        var single = options
        single.limit = 1
        single.batchSize = nil
        var opts = single.document
        opts["singleBatch"] = true
        var found: BSONDocument?
        try withCollection(session: session, fileID: fileID, line: line) { collection in
            try filter.withBSON { filterBSON in
                try withOptions(opts, session: session, fileID: fileID, line: line) { opts in
                    let cursor = mongoc_collection_find_with_opts(collection, filterBSON, opts, nil)
                    try drain(cursor: cursor, fileID: fileID, line: line) { document in
                        if found == nil { found = document }
                    }
                }
            }
        }
        return found
    }

    /// The number of documents matching `filter` (an aggregation, exact; not the metadata count).
    public func countDocuments(
        filter: BSONDocument = [:], session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line
    ) throws -> Int {
        try withCollection(session: session, fileID: fileID, line: line) { collection in
            try filter.withBSON { filterBSON in
                try withOptions(nil, session: session, fileID: fileID, line: line) { opts in
                    var count: Int64 = -1
                    _ = try withReply(fileID: fileID, line: line) { reply, error in
                        count = mongoc_collection_count_documents(collection, filterBSON, opts, nil, reply, error)
                        return count >= 0
                    }
                    return Int(count)
                }
            }
        }
    }

    /// The collection's document count from its metadata (`count` without a filter): O(1), but
    /// not exact after an unclean shutdown, and not inside transactions.
    public func estimatedDocumentCount(fileID: String = #fileID, line: Int = #line) throws -> Int {
        try withCollection(session: nil, fileID: fileID, line: line) { collection in
            try withOptions(nil, session: nil, fileID: fileID, line: line) { opts in
                var count: Int64 = -1
                _ = try withReply(fileID: fileID, line: line) { reply, error in
                    count = mongoc_collection_estimated_document_count(collection, opts, nil, reply, error)
                    return count >= 0
                }
                return Int(count)
            }
        }
    }

    /// Calls `body` with each result of the aggregation `pipeline`, as the cursor delivers them.
    public func aggregate(
        _ pipeline: [BSONDocument], session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line,
        forEach body: (BSONDocument) throws -> Void
    ) throws {
        let command: BSONDocument = ["pipeline": .array(pipeline.map(BSONValue.document))]
        try withCollection(session: session, fileID: fileID, line: line) { collection in
            try command.withBSON { pipelineBSON in
                try withOptions(nil, session: session, fileID: fileID, line: line) { opts in
                    let cursor = mongoc_collection_aggregate(collection, MONGOC_QUERY_NONE, pipelineBSON, opts, nil)
                    try drain(cursor: cursor, fileID: fileID, line: line, body)
                }
            }
        }
    }

    /// The results of the aggregation `pipeline`.
    public func aggregate(
        _ pipeline: [BSONDocument], session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line
    ) throws -> [BSONDocument] {
        var documents: [BSONDocument] = []
        try aggregate(pipeline, session: session, fileID: fileID, line: line) { documents.append($0) }
        return documents
    }

    // MARK: - Collection management

    /// Drops the collection and its indexes. Dropping a collection that does not exist succeeds.
    public func drop(session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line) throws {
        do {
            try withCollection(session: session, fileID: fileID, line: line) { collection in
                try withOptions(nil, session: session, fileID: fileID, line: line) { opts in
                    try checking(fileID: fileID, line: line) { mongoc_collection_drop_with_opts(collection, opts, $0) }
                }
            }
        } catch let error as MongoError where error.kind == .server(26) {
            return  // NamespaceNotFound: already gone (servers before 7.0 report it)
        }
    }

    /// Creates the indexes with the `createIndexes` command. Idempotent: an index that
    /// already exists with the same name and specification is left as it is; the same name
    /// with a different specification fails (server codes 85, 86).
    public func createIndexes(
        _ models: [IndexModel], session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line
    ) throws {
        guard !models.isEmpty else { return }
        let command: BSONDocument = [
            "createIndexes": .string(name),
            "indexes": .array(models.map { .document($0.specification) }),
        ]
        try database.runCommand(command, session: session, fileID: fileID, line: line)
    }

    /// The index specifications of the collection (empty when it does not exist).
    public func listIndexes(
        session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line
    ) throws -> [BSONDocument] {
        try withCollection(session: session, fileID: fileID, line: line) { collection in
            try withOptions(nil, session: session, fileID: fileID, line: line) { opts in
                var indexes: [BSONDocument] = []
                let cursor = mongoc_collection_find_indexes_with_opts(collection, opts)
                try drain(cursor: cursor, fileID: fileID, line: line) { indexes.append($0) }
                return indexes
            }
        }
    }
}
