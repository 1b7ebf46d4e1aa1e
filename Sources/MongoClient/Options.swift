/// Options of ``MongoCollection/find(filter:options:session:fileID:line:)``.
public struct FindOptions: Sendable, Hashable {
    /// Sort specification, e.g. `["time": -1]`.
    public var sort: BSONDocument?
    /// Fields to return, e.g. `["_id": 0, "title": 1]`.
    public var projection: BSONDocument?
    /// At most this many documents (`nil` or 0: no limit).
    public var limit: Int?
    /// Skip this many documents first.
    public var skip: Int?
    /// Documents per server round trip (`nil`: the server's default, 101 in the first).
    public var batchSize: Int?
    /// The name of the index to use, so the server skips choosing among candidate plans (which
    /// a query with many `$or` clauses otherwise pays per clause).
    public var hint: String?

    public init(
        sort: BSONDocument? = nil, projection: BSONDocument? = nil, limit: Int? = nil,
        skip: Int? = nil, batchSize: Int? = nil, hint: String? = nil
    ) {
        self.sort = sort
        self.projection = projection
        self.limit = limit
        self.skip = skip
        self.batchSize = batchSize
        self.hint = hint
    }

    /// The libmongoc `opts` document.
    var document: BSONDocument {
        var options = BSONDocument()
        if let sort { options["sort"] = .document(sort) }
        if let projection { options["projection"] = .document(projection) }
        if let limit { options["limit"] = .int64(Int64(limit)) }
        if let skip { options["skip"] = .int64(Int64(skip)) }
        if let batchSize { options["batchSize"] = .int64(Int64(batchSize)) }
        if let hint { options["hint"] = .string(hint) }
        return options
    }
}

/// What an update applies: an update document (`["$set": ...]`) or an aggregation pipeline
/// (`[["$set": ...], ["$unset": ...]]`, MongoDB 4.2+).
public enum UpdateModification: Sendable, Hashable {
    case document(BSONDocument)
    case pipeline([BSONDocument])
}

/// The outcome of an update or replacement.
public struct UpdateResult: Sendable, Hashable {
    /// Documents the filter matched.
    public var matchedCount: Int
    /// Documents actually changed (a no-op update matches without modifying).
    public var modifiedCount: Int
    /// The `_id` of the document an upsert inserted; `nil` when nothing was inserted.
    public var upsertedID: BSONValue?

    public init(matchedCount: Int, modifiedCount: Int, upsertedID: BSONValue?) {
        self.matchedCount = matchedCount
        self.modifiedCount = modifiedCount
        self.upsertedID = upsertedID
    }

    init(reply: BSONDocument) {
        self.init(
            matchedCount: reply.int("matchedCount") ?? 0,
            modifiedCount: reply.int("modifiedCount") ?? 0,
            upsertedID: reply["upsertedId"]
        )
    }
}

/// An index for ``MongoCollection/createIndexes(_:session:fileID:line:)``.
public struct IndexModel: Sendable, Hashable {
    /// The key specification, e.g. `["user_id": 1, "job_id": 1]`.
    public var keys: BSONDocument
    /// The index name; creating an index again under the same name with the same
    /// specification does nothing, with a different one fails.
    public var name: String
    /// Whether the index rejects a second document with the same key.
    public var unique: Bool
    /// Only documents matching this filter are indexed (and checked for uniqueness).
    public var partialFilterExpression: BSONDocument?
    /// Further index options, added to the index specification as they are.
    public var options: BSONDocument

    public init(
        keys: BSONDocument, name: String, unique: Bool = false,
        partialFilterExpression: BSONDocument? = nil, options: BSONDocument = [:]
    ) {
        self.keys = keys
        self.name = name
        self.unique = unique
        self.partialFilterExpression = partialFilterExpression
        self.options = options
    }

    /// The specification in the `indexes` array of the `createIndexes` command.
    var specification: BSONDocument {
        var spec: BSONDocument = ["key": .document(keys), "name": .string(name)]
        if unique { spec["unique"] = true }
        if let partialFilterExpression { spec["partialFilterExpression"] = .document(partialFilterExpression) }
        for (key, value) in options { spec[key] = value }
        return spec
    }
}
