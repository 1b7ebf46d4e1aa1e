import JobHuntHandlers
import MongoClient

/// Filters that match a document only when the version it records is older than a given one,
/// so that a conditional upsert never overwrites a newer version (contract §5 ordering).
enum VersionFilter {
    /// `key` plus: no version recorded yet (written by someone else, such as the REST backend),
    /// or an older time, or the same time and a smaller event id (MongoDB compares strings
    /// bytewise, as the contract requires).
    static func olderThan(_ version: EventVersion, key: BSONDocument, timeField: String, idField: String) -> BSONDocument {
        let time = BSONValue.date(millisecondsSinceEpoch: version.time.millisecondsSinceEpoch)
        return key.setting("$or", to: .array([
            .document([timeField: .document(["$exists": .bool(false)])]),
            .document([timeField: .document(["$lt": time])]),
            .document([timeField: time, idField: .document(["$lt": .string(version.eventID)])]),
        ]))
    }

    /// Whether `document` records exactly `version`.
    static func records(_ version: EventVersion, in document: BSONDocument?, timeField: String, idField: String) -> Bool {
        document?[idField] == .string(version.eventID)
            && document?[timeField] == .date(millisecondsSinceEpoch: version.time.millisecondsSinceEpoch)
    }
}
