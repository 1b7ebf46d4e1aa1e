import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// The two fields in which a document records the event that wrote it, as read from MongoDB.
struct StoredVersion {
    let timeField: String
    let idField: String

    static let job = StoredVersion(timeField: JobDocument.versionTimeField, idField: JobDocument.versionIDField)
    static let match = StoredVersion(timeField: MatchDocument.versionTimeField, idField: MatchDocument.versionIDField)

    /// The version `document` records: a date and a string. Anything else (missing fields, or
    /// another writer's types) is no readable version, which any event replaces.
    func version(in document: BSONDocument) -> EventVersion? {
        guard case .date(let milliseconds)? = document[timeField], case .string(let eventID)? = document[idField] else {
            return nil
        }
        return EventVersion(time: Timestamp(millisecondsSinceEpoch: milliseconds), eventID: eventID)
    }

    /// A filter that matches the document `read` (by `_id`) only while its version fields are
    /// still exactly as read: a replacement through it never overwrites another writer's change
    /// made since the read.
    func unchangedFilter(_ read: BSONDocument) -> BSONDocument {
        var filter: BSONDocument = ["_id": read["_id"] ?? .null]
        for field in [timeField, idField] {
            filter[field] = read[field] ?? .document(["$exists": .bool(false)])
        }
        return filter
    }

    /// The projection that reads these fields and `_id`.
    var projection: BSONDocument { ["_id": 1, timeField: 1, idField: 1] }
}
