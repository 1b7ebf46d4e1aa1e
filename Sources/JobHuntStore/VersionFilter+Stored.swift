import JobHuntHandlers
import MongoClient

extension VersionFilter {
    /// Whether `olderThan(version, ...)` may match `stored`, the document with the filter's key
    /// (nil when there is none: the upsert inserts). Decided as MongoDB would: a missing time
    /// field matches, a date compares by time and then the id as UTF-8 bytes (the order of
    /// `EventVersion`), and other types never match (`$lt` compares within a type only; a
    /// stored null is not missing). An array, which MongoDB matches element by element, counts
    /// as "may match": the database's filter then decides.
    static func mayMatch(_ stored: BSONDocument?, olderThan version: EventVersion, timeField: String, idField: String) -> Bool {
        guard let stored, let time = stored[timeField] else { return true }
        switch time {
        case .date(let milliseconds):
            if milliseconds != version.time.millisecondsSinceEpoch {
                return milliseconds < version.time.millisecondsSinceEpoch
            }
            switch stored[idField] {
            case .string(let id)?: return EventVersion(time: version.time, eventID: id) < version
            case .array?: return true
            default: return false
            }
        case .array:
            return true
        default:
            return false
        }
    }
}
