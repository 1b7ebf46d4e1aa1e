import CMongoC

extension MongoCollection {
    /// Runs `models` as one bulk write (as few round trips as the server's batch limits allow).
    ///
    /// A failure of a single operation (duplicate key, document validation, an update libmongoc
    /// refuses before sending) does not throw: it is reported in
    /// ``BulkWriteResult/writeErrors`` with the operation's index, and — unordered — every
    /// other operation still commits. This throws only when the bulk as a whole failed: network
    /// or server-selection failures, a write concern error, errors labelled retryable, or any
    /// write error inside a transaction (the server has aborted the transaction by then).
    ///
    /// - Parameter ordered: stop at the first failure (`true`, the MongoDB default) or try
    ///   every operation (`false`, faster: the server may apply them in any order).
    ///
    /// - Note: operations should be idempotent, so that a batch can be sent again after a
    ///   thrown infrastructure error (some of it may have committed). libmongoc 1.23 reports
    ///   the write errors, not the network failure, when both happen in one bulk that spans
    ///   several server commands; the reply then still carries `RetryableWriteError` (which
    ///   makes this throw) as long as retryable writes are on (the default) and the bulk
    ///   holds no `updateMany`/`deleteMany`.
    public func bulkWrite(
        _ models: [WriteModel], ordered: Bool = true, session: MongoSession? = nil,
        fileID: String = #fileID, line: Int = #line
    ) throws -> BulkWriteResult {
        guard !models.isEmpty else { return BulkWriteResult() }
        let inTransaction = session?.isInTransaction ?? false
        return try withCollection(session: session, fileID: fileID, line: line) { collection in
            try withOptions(["ordered": .bool(ordered)], session: session, fileID: fileID, line: line) { opts in
                guard let bulk = mongoc_collection_create_bulk_operation_with_opts(collection, opts) else {
                    throw MongoError(kind: .driver, message: "no bulk operation", fileID: fileID, line: line)
                }
                defer { mongoc_bulk_operation_destroy(bulk) }
                var plan = try BulkPlan(ordered: ordered)
                defer { plan.free() }
                try plan.append(models, to: bulk)
                guard !plan.inputIndexes.isEmpty else {
                    var result = BulkWriteResult()
                    result.writeErrors = plan.refused
                    return result
                }
                return try plan.execute(bulk, inTransaction: inTransaction, fileID: fileID, line: line)
            }
        }
    }
}

/// The operations appended to one `mongoc_bulk_operation_t`, and which input each came from.
private struct BulkPlan {
    let ordered: Bool
    /// For each operation appended to the bulk, its index in the caller's array.
    private(set) var inputIndexes: [Int] = []
    /// Operations libmongoc (or the encoder) refused before anything was sent.
    private(set) var refused: [WriteError] = []
    // Two reused encoders (filter and document): no allocation per operation.
    private var first: StaticBSONEncoder
    private var second: StaticBSONEncoder

    init(ordered: Bool) throws {
        self.ordered = ordered
        first = try StaticBSONEncoder()
        second = try StaticBSONEncoder()
    }

    func free() {
        first.free()
        second.free()
    }

    mutating func append(_ models: [WriteModel], to bulk: OpaquePointer) throws {
        inputIndexes.reserveCapacity(models.count)
        try (["upsert": true] as BSONDocument).withBSON { upsert in
            for index in executionOrder(models) {
                let model = models[index]
                var error = bson_error_t()
                do {
                    if try append(model, to: bulk, upsert: upsert, error: &error) {
                        inputIndexes.append(index)
                        continue
                    }
                    refused.append(WriteError(
                        index: index, code: Int(error.code), message: error.messageText,
                        kind: MongoError.kind(domain: error.domain, code: error.code), domain: Int(error.domain)))
                } catch let encoding as MongoError {
                    refused.append(WriteError(
                        index: index, code: encoding.code, message: encoding.message, kind: encoding.kind,
                        domain: encoding.domain))
                }
                if ordered { break }
            }
        }
    }

    /// The order to append `models` in: the caller's when ordered; unordered, grouped by the
    /// server command that carries them (inserts, then updates and replacements, then deletes),
    /// each group in the caller's order. libmongoc packs consecutive operations of one command
    /// into one message and starts a new one at every change of kind, so a mixed bulk in the
    /// caller's order could cost a command, and a journaled write, per change.
    private func executionOrder(_ models: [WriteModel]) -> [Int] {
        guard !ordered else { return Array(models.indices) }
        func command(_ model: WriteModel) -> Int {
            switch model {
            case .insertOne: return 0
            case .updateOne, .updateMany, .replaceOne: return 1
            case .deleteOne, .deleteMany: return 2
            }
        }
        return models.indices.sorted { (command(models[$0]), $0) < (command(models[$1]), $1) }
    }

    private mutating func append(
        _ model: WriteModel, to bulk: OpaquePointer, upsert: OpaquePointer, error: inout bson_error_t
    ) throws -> Bool {
        func options(_ upserting: Bool) -> OpaquePointer? { upserting ? upsert : nil }
        switch model {
        case .insertOne(let document):
            return try first.encode(document) { mongoc_bulk_operation_insert_with_opts(bulk, $0, nil, &error) }
        case .updateOne(let filter, let update, let upserting):
            return try first.encode(filter) { filterBSON in
                try second.encode(update) {
                    mongoc_bulk_operation_update_one_with_opts(bulk, filterBSON, $0, options(upserting), &error)
                }
            }
        case .updateMany(let filter, let update, let upserting):
            return try first.encode(filter) { filterBSON in
                try second.encode(update) {
                    mongoc_bulk_operation_update_many_with_opts(bulk, filterBSON, $0, options(upserting), &error)
                }
            }
        case .replaceOne(let filter, let replacement, let upserting):
            return try first.encode(filter) { filterBSON in
                try second.encode(replacement) {
                    mongoc_bulk_operation_replace_one_with_opts(bulk, filterBSON, $0, options(upserting), &error)
                }
            }
        case .deleteOne(let filter):
            return try first.encode(filter) { mongoc_bulk_operation_remove_one_with_opts(bulk, $0, nil, &error) }
        case .deleteMany(let filter):
            return try first.encode(filter) { mongoc_bulk_operation_remove_many_with_opts(bulk, $0, nil, &error) }
        }
    }

    /// Executes the bulk and maps its reply back to the caller's indexes.
    func execute(_ bulk: OpaquePointer, inTransaction: Bool, fileID: String, line: Int) throws -> BulkWriteResult {
        guard let replyBSON = jobhunt_bson_reply_alloc() else {
            throw MongoError(kind: .driver, message: "out of memory", fileID: fileID, line: line)
        }
        defer { jobhunt_bson_reply_free(replyBSON) }
        var error = bson_error_t()
        let succeeded = mongoc_bulk_operation_execute(bulk, replyBSON, &error) != 0
        let reply = (try? BSONDocument(copying: replyBSON)) ?? [:]

        var result = BulkWriteResult()
        result.insertedCount = reply.int("nInserted") ?? 0
        result.matchedCount = reply.int("nMatched") ?? 0
        result.modifiedCount = reply.int("nModified") ?? 0
        result.deletedCount = reply.int("nRemoved") ?? 0
        result.upsertedCount = reply.int("nUpserted") ?? 0
        for case .document(let upserted) in reply.array("upserted") ?? [] {
            if let index = upserted.int("index"), let id = upserted["_id"] {
                result.upsertedIDs[inputIndex(index)] = id
            }
        }
        var serverErrors: [WriteError] = []
        for case .document(let writeError) in reply.array("writeErrors") ?? [] {
            let code = writeError.int("code") ?? 0
            serverErrors.append(WriteError(
                index: inputIndex(writeError.int("index") ?? -1), code: code,
                message: writeError.string("errmsg") ?? "", kind: MongoError.kind(forServerCode: code),
                domain: Int(MONGOC_ERROR_SERVER.rawValue)))
        }
        // Ordered, a refused operation only matters when the server got that far.
        let refusedErrors = ordered && !serverErrors.isEmpty ? [] : refused
        result.writeErrors = (serverErrors + refusedErrors).sorted { $0.index < $1.index }

        guard !succeeded else { return result }
        let failure = MongoError(libmongoc: error, reply: reply, fileID: fileID, line: line)
        if case .document(let concernError)? = reply.array("writeConcernErrors")?.first {
            let code = concernError.int("code") ?? failure.code
            throw MongoError(
                kind: .writeConcern(code), domain: Int(MONGOC_ERROR_WRITE_CONCERN.rawValue), code: code,
                message: concernError.string("errmsg") ?? failure.message, labels: failure.labels,
                fileID: fileID, line: line)
        }
        // Write errors alone: a per-operation outcome. Anything else (or a label saying the
        // bulk as a whole may be retried, or a transaction the server has aborted) throws.
        let bulkWideFailure = failure.labels.contains(where: MongoError.retryableLabels.contains)
        if !serverErrors.isEmpty, !bulkWideFailure, !inTransaction {
            return result
        }
        throw failure
    }

    private func inputIndex(_ bulkIndex: Int) -> Int {
        inputIndexes.indices.contains(bulkIndex) ? inputIndexes[bulkIndex] : bulkIndex
    }
}
