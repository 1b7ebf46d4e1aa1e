import CMongoC

extension MongoCollection {
    /// Inserts `document`, adding an ObjectId `_id` first when it has none, and returns the `_id`.
    ///
    /// - Throws: ``MongoError``; ``MongoError/isDuplicateKey`` when a unique index rejects it,
    ///   ``MongoError/Kind/invalidArgument`` for an empty key. Keys containing `.` or starting
    ///   with `$` are stored as they are (MongoDB 5.0+): reject them before calling if needed.
    @discardableResult
    public func insertOne(
        _ document: BSONDocument, session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line
    ) throws -> BSONValue {
        var document = document
        let id: BSONValue
        if let existing = document["_id"] {
            id = existing
        } else {
            id = .objectID(ObjectID())
            document.prepend("_id", id)
        }
        try withCollection(session: session, fileID: fileID, line: line) { collection in
            try document.withBSON { documentBSON in
                try withOptions(nil, session: session, fileID: fileID, line: line) { opts in
                    _ = try withReply(fileID: fileID, line: line) { reply, error in
                        mongoc_collection_insert_one(collection, documentBSON, opts, reply, error)
                    }
                }
            }
        }
        return id
    }

    /// Inserts `documents` in one command (libmongoc splits it at the server's batch limits)
    /// and returns how many were inserted. `ordered` stops at the first failure; unordered
    /// tries every document. Either way a failure throws (the first write error); use
    /// ``bulkWrite(_:ordered:session:fileID:line:)`` to learn which documents failed.
    @discardableResult
    public func insertMany(
        _ documents: [BSONDocument], ordered: Bool = true, session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line
    ) throws -> Int {
        guard !documents.isEmpty else { return 0 }
        let result = try bulkWrite(
            documents.map(WriteModel.insertOne), ordered: ordered, session: session, fileID: fileID, line: line)
        if let first = result.writeErrors.first {
            throw MongoError(
                kind: first.kind, domain: first.domain, code: first.code, message: first.message,
                fileID: fileID, line: line)
        }
        return result.insertedCount
    }

    /// Replaces the first document matching `filter` with `replacement` (which must not contain
    /// update operators); with `upsert`, inserts it when nothing matches.
    @discardableResult
    public func replaceOne(
        filter: BSONDocument, replacement: BSONDocument, upsert: Bool = false, session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line
    ) throws -> UpdateResult {
        try update(
            filter: filter, update: .document(replacement), session: session, upsert: upsert, fileID: fileID, line: line
        )  { collection, filterBSON, updateBSON, opts, reply, error in
            mongoc_collection_replace_one(collection, filterBSON, updateBSON, opts, reply, error)
        }
    }

    /// Updates the first document matching `filter` with an update document (`$set`, ...).
    @discardableResult
    public func updateOne(
        filter: BSONDocument, update: BSONDocument, upsert: Bool = false, session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line
    ) throws -> UpdateResult {
        try updateOne(filter: filter, update: .document(update), upsert: upsert, session: session, fileID: fileID, line: line)
    }

    /// Updates the first document matching `filter` with an update document or pipeline.
    @discardableResult
    public func updateOne(
        filter: BSONDocument, update: UpdateModification, upsert: Bool = false, session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line
    ) throws -> UpdateResult {
        try self.update(
            filter: filter, update: update, session: session, upsert: upsert, fileID: fileID, line: line
        )  { collection, filterBSON, updateBSON, opts, reply, error in
            mongoc_collection_update_one(collection, filterBSON, updateBSON, opts, reply, error)
        }
    }

    /// Updates every document matching `filter` with an update document (`$set`, ...).
    @discardableResult
    public func updateMany(
        filter: BSONDocument, update: BSONDocument, upsert: Bool = false, session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line
    ) throws -> UpdateResult {
        try updateMany(filter: filter, update: .document(update), upsert: upsert, session: session, fileID: fileID, line: line)
    }

    /// Updates every document matching `filter` with an update document or pipeline.
    @discardableResult
    public func updateMany(
        filter: BSONDocument, update: UpdateModification, upsert: Bool = false, session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line
    ) throws -> UpdateResult {
        try self.update(
            filter: filter, update: update, session: session, upsert: upsert, fileID: fileID, line: line
        )  { collection, filterBSON, updateBSON, opts, reply, error in
            mongoc_collection_update_many(collection, filterBSON, updateBSON, opts, reply, error)
        }
    }

    /// Deletes the first document matching `filter`; returns how many were deleted (0 or 1).
    @discardableResult
    public func deleteOne(
        filter: BSONDocument, session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line
    ) throws -> Int {
        try delete(filter: filter, session: session, fileID: fileID, line: line) {
            mongoc_collection_delete_one($0, $1, $2, $3, $4)
        }
    }

    /// Deletes every document matching `filter`; returns how many were deleted.
    @discardableResult
    public func deleteMany(
        filter: BSONDocument, session: MongoSession? = nil, fileID: String = #fileID, line: Int = #line
    ) throws -> Int {
        try delete(filter: filter, session: session, fileID: fileID, line: line) {
            mongoc_collection_delete_many($0, $1, $2, $3, $4)
        }
    }

    // MARK: - Shared plumbing

    private typealias WriteCall = (
        _ collection: OpaquePointer, _ filter: OpaquePointer, _ update: OpaquePointer, _ opts: OpaquePointer?,
        _ reply: OpaquePointer, _ error: UnsafeMutablePointer<bson_error_t>
    ) -> Bool

    private func update(
        filter: BSONDocument, update: UpdateModification, session: MongoSession?, upsert: Bool,
        fileID: String, line: Int, call: WriteCall
    ) throws -> UpdateResult {
        let options: BSONDocument? = upsert ? ["upsert": true] : nil
        return try withCollection(session: session, fileID: fileID, line: line) { collection in
            try filter.withBSON { filterBSON in
                var encoder = try StaticBSONEncoder()
                defer { encoder.free() }
                return try encoder.encode(update) { updateBSON in
                    try withOptions(options, session: session, fileID: fileID, line: line) { opts in
                        let reply = try withReply(fileID: fileID, line: line) { reply, error in
                            call(collection, filterBSON, updateBSON, opts, reply, error)
                        }
                        return UpdateResult(reply: reply)
                    }
                }
            }
        }
    }

    private func delete(
        filter: BSONDocument, session: MongoSession?, fileID: String, line: Int,
        call: (OpaquePointer, OpaquePointer, OpaquePointer?, OpaquePointer, UnsafeMutablePointer<bson_error_t>) -> Bool
    ) throws -> Int {
        try withCollection(session: session, fileID: fileID, line: line) { collection in
            try filter.withBSON { filterBSON in
                try withOptions(nil, session: session, fileID: fileID, line: line) { opts in
                    let reply = try withReply(fileID: fileID, line: line) { reply, error in
                        call(collection, filterBSON, opts, reply, error)
                    }
                    return reply.int("deletedCount") ?? 0
                }
            }
        }
    }
}

extension StaticBSONEncoder {
    /// Encodes an update document as a document and a pipeline as an array, which is how
    /// libmongoc tells them apart.
    mutating func encode<R>(_ update: UpdateModification, _ body: (OpaquePointer) throws -> R) throws -> R {
        switch update {
        case .document(let document):
            return try encode(document, body)
        case .pipeline(let stages):
            return try encode(array: stages.map(BSONValue.document), body)
        }
    }
}
