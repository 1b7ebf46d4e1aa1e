import MongoClient

extension DeadLetterStore {
    /// Deletes the `replayed` and `discarded` records whose last change (`status_changed_at`)
    /// is before `cutoff` (ms since the epoch), with the pieces of their large bodies. A `dead`
    /// record is never deleted. Returns how many records were deleted.
    ///
    /// Records written before `status_changed_at` existed are aged by `replayed_at` or
    /// `discarded_at`, whichever their status set. Each page of candidates is deleted with the
    /// age filter applied again, so a record that failed again meanwhile (`dead`) survives with
    /// its body; only the pieces of records actually deleted are removed.
    public func purge(changedBefore cutoff: Int64, pageSize: Int = 500) throws -> Int {
        let purgeable = Self.purgeable(changedBefore: cutoff)
        var deleted = 0
        var lastID: String?
        try translatingMongoErrors {
            while true {
                let page: BSONDocument = lastID.map { ["$and": [.document(purgeable), ["_id": ["$gt": .string($0)]]]] } ?? purgeable
                let candidates = try records.find(filter: page, options: FindOptions(
                    sort: ["_id": 1], projection: ["_id": 1, "body_chunks": 1], limit: pageSize))
                guard let last = candidates.last?.string("_id") else { return }
                lastID = last
                let ids = candidates.compactMap { $0.string("_id") }
                deleted += try records.deleteMany(filter: ["$and": [.document(purgeable), ["_id": ["$in": .array(ids.map(BSONValue.string))]]]])
                let chunked = candidates.filter { $0["body_chunks"] != nil }.compactMap { $0.string("_id") }
                if chunked.isEmpty { continue }
                let kept = Set(try records.find(filter: ["_id": ["$in": .array(chunked.map(BSONValue.string))]],
                                                options: FindOptions(projection: ["_id": 1])).compactMap { $0.string("_id") })
                let gone = chunked.filter { !kept.contains($0) }
                if !gone.isEmpty {
                    try chunks.deleteMany(filter: ["dead_letter_id": ["$in": .array(gone.map(BSONValue.string))]])
                }
            }
        }
        return deleted
    }

    /// The one rule of what `purge` may delete: not `dead`, and last changed before `cutoff`.
    static func purgeable(changedBefore cutoff: Int64) -> BSONDocument {
        let before: BSONValue = ["$lt": .date(millisecondsSinceEpoch: cutoff)]
        let changed = DeadLetterDocument.statusChangedAt
        return ["$or": [
            ["status": ["$in": [.string(DeadLetterStatus.replayed.rawValue), .string(DeadLetterStatus.discarded.rawValue)]], changed: before],
            ["status": .string(DeadLetterStatus.replayed.rawValue), changed: ["$exists": false], "replayed_at": before],
            ["status": .string(DeadLetterStatus.discarded.rawValue), changed: ["$exists": false], "discarded_at": before],
        ]]
    }
}
