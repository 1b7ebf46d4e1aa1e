/// One operation of ``MongoCollection/bulkWrite(_:ordered:session:fileID:line:)``.
public enum WriteModel: Sendable, Hashable {
    /// Inserts the document (libmongoc adds an ObjectId `_id` when it has none).
    case insertOne(BSONDocument)
    /// Updates the first document matching `filter`.
    case updateOne(filter: BSONDocument, update: UpdateModification, upsert: Bool = false)
    /// Updates every document matching `filter`.
    case updateMany(filter: BSONDocument, update: UpdateModification, upsert: Bool = false)
    /// Replaces the first document matching `filter`.
    case replaceOne(filter: BSONDocument, replacement: BSONDocument, upsert: Bool = false)
    /// Deletes the first document matching `filter`.
    case deleteOne(filter: BSONDocument)
    /// Deletes every document matching `filter`.
    case deleteMany(filter: BSONDocument)
}

/// The failure of one operation of a bulk write.
public struct WriteError: Sendable, Hashable {
    /// The position of the failed operation in the array given to `bulkWrite`.
    public var index: Int
    /// The server's error code (11000 for a duplicate key); for an operation libmongoc refused
    /// before sending (kind ``MongoError/Kind/invalidArgument``), libmongoc's code.
    public var code: Int
    /// The server's (or libmongoc's) message. It may quote document values.
    public var message: String
    /// The classification, as for ``MongoError/kind``.
    public var kind: MongoError.Kind
    /// libmongoc's error domain (the server domain, 17, for server-reported errors).
    public var domain: Int

    public init(index: Int, code: Int, message: String, kind: MongoError.Kind, domain: Int) {
        self.index = index
        self.code = code
        self.message = message
        self.kind = kind
        self.domain = domain
    }

    /// Whether a unique index rejected the operation.
    public var isDuplicateKey: Bool { kind == .duplicateKey }

    /// Whether the operation failed for a reason of the deployment rather than of its own
    /// content (as ``MongoError/isInfrastructure``; rare for a single operation).
    public var isInfrastructure: Bool {
        MongoError(kind: kind, domain: domain, code: code, message: "").isInfrastructure
    }
}

/// The outcome of a bulk write: counts over the operations that succeeded, plus one
/// ``WriteError`` per operation that failed.
///
/// Unordered, every operation without an error committed. Ordered, execution stopped at the
/// first error: operations after its index were not executed.
public struct BulkWriteResult: Sendable, Hashable {
    public var insertedCount = 0
    public var matchedCount = 0
    public var modifiedCount = 0
    public var deletedCount = 0
    public var upsertedCount = 0
    /// The `_id` of each upserted document, by operation index.
    public var upsertedIDs: [Int: BSONValue] = [:]
    /// The failed operations, by ascending index.
    public var writeErrors: [WriteError] = []

    public init() {}
}
