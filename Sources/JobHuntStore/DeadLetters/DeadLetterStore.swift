import JobHuntHandlers
import MongoClient

/// The `dead_letters` collection: recording failures, and what `jobhunt-worker dlq` needs to
/// list, inspect, replay and discard them.
///
/// A body larger than `inlineBodyLimit` (BSON documents stop at 16 MiB, and the broker accepts
/// much larger messages) is kept in `dead_letter_chunks`, byte-exact, in pieces.
public struct DeadLetterStore: Sendable {
    /// Collection of the records.
    public static let collectionName = "dead_letters"
    /// Collection of the pieces of large bodies.
    public static let chunksCollectionName = "dead_letter_chunks"
    /// Bodies up to this size are stored inside their record.
    static let inlineBodyLimit = 8 << 20
    /// The size of each piece of a larger body.
    static let chunkSize = 4 << 20

    let database: MongoDatabase
    var records: MongoCollection { database.collection(Self.collectionName) }
    var chunks: MongoCollection { database.collection(Self.chunksCollectionName) }

    /// The store in `database`.
    public init(database: MongoDatabase) {
        self.database = database
    }

    /// Records `failure` at `now` (ms): a new record, or the same message's record updated
    /// (reason, detail, headers, last failure, one more attempt, status `dead` again).
    /// Throws `StorageUnavailable` when the database cannot be reached.
    @discardableResult
    public func record(_ failure: DeadLetterFailure, now: Int64) throws -> String {
        let id = DeadLetter.id(ofBody: failure.body)
        try translatingMongoErrors {
            var onInsert: BSONDocument = ["first_failed_at": .date(millisecondsSinceEpoch: now), "body_size": .int64(Int64(failure.body.count))]
            if failure.body.count <= Self.inlineBodyLimit {
                onInsert["body"] = .binary(bytes: failure.body, subtype: 0)
            } else {
                onInsert["body_chunks"] = .int64(Int64(try storeChunks(of: failure.body, id: id)))
            }
            let update: BSONDocument = [
                "$setOnInsert": .document(onInsert),
                "$set": .document(DeadLetterDocument.mutableFields(of: failure, now: now)),
                "$inc": ["attempts": .int64(1)],
            ]
            for attempt in 0..<2 {
                do {
                    try records.updateOne(filter: ["_id": .string(id)], update: update, upsert: true)
                    return
                } catch let error as MongoError where error.isDuplicateKey && attempt == 0 {
                    continue  // another worker inserted it just now: update that one
                }
            }
        }
        return id
    }

    /// The records matching `filter`, most recent failure first, bodies left out.
    public func list(_ filter: DeadLetterFilter, limit: Int? = nil) throws -> [DeadLetter] {
        try translatingMongoErrors {
            try records.find(filter: filter.document, options: FindOptions(
                sort: ["last_failed_at": -1, "_id": 1], projection: ["body": 0], limit: limit))
            .map { try DeadLetterDocument.deadLetter(from: $0, body: []) }
        }
    }

    /// How many records match `filter`.
    public func count(_ filter: DeadLetterFilter) throws -> Int {
        try translatingMongoErrors { try records.countDocuments(filter: filter.document) }
    }

    /// Up to `limit` records matching `filter` whose id is greater than `afterID`, in id order,
    /// bodies included: pages that stay stable while their records change status.
    public func page(_ filter: DeadLetterFilter, after afterID: String?, limit: Int) throws -> [DeadLetter] {
        var document = filter.document
        if let afterID {
            document = ["$and": [.document(document), ["_id": ["$gt": .string(afterID)]]]]
        }
        return try translatingMongoErrors {
            try records.find(filter: document, options: FindOptions(sort: ["_id": 1], limit: limit))
                .map { try DeadLetterDocument.deadLetter(from: $0, body: try body(of: $0)) }
        }
    }

    /// The one record whose id is, or starts with, `idPrefix` (at least 6 hex digits).
    public func find(idPrefix: String) throws -> DeadLetter {
        let prefix = idPrefix.lowercased()
        guard (6...64).contains(prefix.utf8.count), prefix.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw DeadLetterLookupError.invalidID(idPrefix)
        }
        return try translatingMongoErrors {
            // The prefix is plain hex (checked above): a literal range, never a pattern from input.
            let filter: BSONDocument = prefix.utf8.count == 64
                ? ["_id": .string(prefix)]
                : ["_id": ["$gte": .string(prefix), "$lt": .string(prefix + "g")]]
            let found = try records.find(filter: filter, options: FindOptions(limit: 2))
            guard let document = found.first else { throw DeadLetterLookupError.notFound(idPrefix) }
            guard found.count == 1 else { throw DeadLetterLookupError.ambiguous(idPrefix) }
            return try DeadLetterDocument.deadLetter(from: document, body: try body(of: document))
        }
    }

    /// Counts by reason, event type and status.
    public func counts() throws -> [DeadLetterCount] {
        try translatingMongoErrors {
            try records.aggregate([
                ["$group": ["_id": ["reason": "$reason", "type": "$event_type", "status": "$status"], "n": ["$sum": 1]]],
                ["$sort": ["_id.reason": 1, "_id.type": 1, "_id.status": 1]],
            ]).compactMap { group in
                guard let key = group.document("_id"), let reason = key.string("reason").flatMap(DeadLetterReason.init(rawValue:)),
                      let status = key.string("status").flatMap(DeadLetterStatus.init(rawValue:)) else { return nil }
                return DeadLetterCount(reason: reason, eventType: key.string("type"), status: status, count: group.int("n") ?? 0)
            }
        }
    }

    /// Marks the record `id` replayed at `now`, only if it is still `dead` after exactly
    /// `attempts` failures, the count read before its message was published again. Returns
    /// whether it did.
    ///
    /// This is what keeps a record truthful whatever the interleaving (contract §6): a worker
    /// may consume the replayed copy, fail it again and record that (one more attempt, `dead`)
    /// before this mark runs; the attempt count then differs and the record stays `dead`. A
    /// failure recorded after the mark sets `dead` again in `record(_:now:)`.
    @discardableResult
    public func markReplayed(id: String, attempts: Int, now: Int64) throws -> Bool {
        try translatingMongoErrors {
            try records.updateOne(
                filter: ["_id": .string(id), "status": .string(DeadLetterStatus.dead.rawValue), "attempts": .int64(Int64(attempts))],
                update: ["$set": ["status": .string(DeadLetterStatus.replayed.rawValue), "replayed_at": .date(millisecondsSinceEpoch: now),
                                   DeadLetterDocument.statusChangedAt: .date(millisecondsSinceEpoch: now)],
                         "$inc": ["replay_count": .int64(1)]]
            ).modifiedCount == 1
        }
    }

    /// Marks every `dead` record matching `filter` discarded. Returns how many.
    public func discard(_ filter: DeadLetterFilter, now: Int64) throws -> Int {
        var deadOnly = filter
        deadOnly.status = .dead
        return try translatingMongoErrors {
            try records.updateMany(
                filter: deadOnly.document,
                update: ["$set": ["status": .string(DeadLetterStatus.discarded.rawValue), "discarded_at": .date(millisecondsSinceEpoch: now),
                                   DeadLetterDocument.statusChangedAt: .date(millisecondsSinceEpoch: now)]]
            ).modifiedCount
        }
    }

    private func storeChunks(of body: [UInt8], id: String) throws -> Int {
        var count = 0
        for start in stride(from: 0, to: body.count, by: Self.chunkSize) {
            let piece = Array(body[start..<min(start + Self.chunkSize, body.count)])
            try chunks.replaceOne(
                filter: ["_id": .string("\(id):\(count)")],
                replacement: ["dead_letter_id": .string(id), "n": .int64(Int64(count)), "data": .binary(bytes: piece, subtype: 0)],
                upsert: true)
            count += 1
        }
        return count
    }

    private func body(of document: BSONDocument) throws -> [UInt8] {
        if let inline = document["body"]?.binaryValue { return inline.bytes }
        guard let id = document.string("_id"), let count = document.int("body_chunks") else { return [] }
        var body: [UInt8] = []
        try chunks.find(filter: ["dead_letter_id": .string(id)], options: FindOptions(sort: ["n": 1])) { piece in
            body += piece["data"]?.binaryValue?.bytes ?? []
        }
        guard body.count == document.int("body_size") ?? body.count else {
            throw StorageRejection(.constraintViolation, "dead letter \(id): body pieces missing (\(count) expected)")
        }
        return body
    }
}

/// A count of `dlq stats`.
public struct DeadLetterCount: Sendable, Hashable {
    /// The reason.
    public var reason: DeadLetterReason
    /// The event type, when known.
    public var eventType: String?
    /// The status.
    public var status: DeadLetterStatus
    /// How many records.
    public var count: Int
}

/// Why `dlq show` or `replay` found no single record.
public enum DeadLetterLookupError: Error, Sendable, CustomStringConvertible {
    /// Not an id or an id prefix (6 to 64 hex digits).
    case invalidID(String)
    /// No record has this id.
    case notFound(String)
    /// Several records start with this prefix.
    case ambiguous(String)

    public var description: String {
        switch self {
        case .invalidID(let id): return "'\(id)' is not a dead-letter id (6 to 64 hexadecimal digits)"
        case .notFound(let id): return "no dead letter with id \(id)"
        case .ambiguous(let id): return "several dead letters start with \(id): give more digits"
        }
    }
}
