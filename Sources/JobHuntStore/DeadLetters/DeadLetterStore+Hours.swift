import MongoClient

extension DeadLetterStore {
    /// Records counted by the hour (UTC) of their `last_failed_at` and by status, for the hours
    /// from `since` (ms since the epoch; rounded down to its hour) on, oldest first. Hours
    /// without failures are left out. `dlq stats` shows the last 24 hours so that a burst of
    /// failures stands out next to the totals by reason.
    public func hourlyCounts(since: Int64) throws -> [DeadLetterHourCount] {
        let hour: Int64 = 3_600_000
        let start = since - ((since % hour) + hour) % hour
        let millis: BSONValue = ["$toLong": "$last_failed_at"]
        return try translatingMongoErrors {
            try records.aggregate([
                ["$match": ["last_failed_at": ["$gte": .date(millisecondsSinceEpoch: start)]]],
                ["$group": [
                    "_id": ["hour": ["$subtract": [millis, ["$mod": [millis, .int64(hour)]]]], "status": "$status"],
                    "n": ["$sum": 1],
                ]],
                ["$sort": ["_id.hour": 1, "_id.status": 1]],
            ]).compactMap { group in
                guard let key = group.document("_id"), let hourStart = key.int64("hour"),
                      let status = key.string("status").flatMap(DeadLetterStatus.init(rawValue:)) else { return nil }
                return DeadLetterHourCount(hourStart: hourStart, status: status, count: group.int("n") ?? 0)
            }
        }
    }
}

/// A count of `dlq stats` by hour.
public struct DeadLetterHourCount: Sendable, Hashable {
    /// The start of the hour, ms since the epoch (UTC).
    public var hourStart: Int64
    /// The status.
    public var status: DeadLetterStatus
    /// How many records last failed in that hour.
    public var count: Int
}
