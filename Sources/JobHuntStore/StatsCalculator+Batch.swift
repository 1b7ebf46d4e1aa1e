import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// The stats of many users at once, for the batch transaction.
///
/// A batch touches only the part of a user's stats whose sources it changed. The counts
/// (`jobs_viewed`, `jobs_saved`) are raised by the `viewed` and `saved` interactions it
/// recorded, in the same transaction as the inserts: an interaction is inserted at most once
/// (unique key), so it is counted exactly once. The top missing skill is recomputed from the
/// user's active matches after a match is written. The rest stays exact, because every change to
/// its sources updated it in the same transaction (by induction; `stats rebuild` recomputes
/// everything). A user without a stats document yet gets everything computed from the sources.
extension StatsCalculator {
    /// How many `viewed` and `saved` interactions a batch recorded for one user.
    struct CountChange {
        var viewed = 0
        var saved = 0
    }

    /// Raises the counts of the `counted` users, recomputes the top missing skill of the
    /// `skills` users (everything for users without a stats document), and stamps
    /// `last_calculated`: at most one find of the stats documents, one aggregation (new
    /// documents only), one find of active matches, and one bulk write (updates by `_id`, the
    /// server's fastest path, and upserts by `user_id` for new documents).
    func refresh(counted: [ObjectID: CountChange], skills skillUsers: Set<ObjectID>, session: MongoSession? = nil) throws {
        let users = Set(counted.keys).union(skillUsers).sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        guard !users.isEmpty else { return }
        let existing = try statsDocumentIDs(of: users, session: session)
        let newUsers = Set(users.filter { existing[$0] == nil })
        let counts = try self.counts(of: newUsers, session: session)
        let skills = try topMissingSkills(of: skillUsers.union(newUsers), session: session)
        let nowMilliseconds = Timestamp.now().millisecondsSinceEpoch
        let models = users.map { user -> WriteModel in
            guard let id = existing[user] else {
                let userCounts = counts[user] ?? (viewed: 0, saved: 0)
                let stats = UserStats(jobsViewed: userCounts.viewed, jobsSaved: userCounts.saved, topMissingSkill: skills[user] ?? nil)
                return .updateOne(
                    filter: ["user_id": .objectID(user)],
                    update: .document(["$set": .document(StatsDocument.fields(stats, calculatedAt: nowMilliseconds))]),
                    upsert: true)
            }
            var set: BSONDocument = [:]
            if skillUsers.contains(user) { set["top_missing_skill"] = (skills[user] ?? nil).map(BSONValue.string) ?? .null }
            set["last_calculated"] = .date(millisecondsSinceEpoch: nowMilliseconds)
            var update: BSONDocument = ["$set": .document(set)]
            if let change = counted[user] {
                update["$inc"] = ["jobs_viewed": .int64(Int64(change.viewed)), "jobs_saved": .int64(Int64(change.saved))]
            }
            return .updateOne(filter: ["_id": id], update: .document(update))
        }
        let result = try database.collection(CollectionName.userStats).bulkWrite(models, session: session)
        if let failure = result.writeErrors.first { throw failure.mongoError }
    }

    /// `jobs_viewed` and `jobs_saved` of each of `users` (absent: both 0), from one aggregation.
    func counts(of users: Set<ObjectID>, session: MongoSession?) throws -> [ObjectID: (viewed: Int, saved: Int)] {
        guard !users.isEmpty else { return [:] }
        var counts: [ObjectID: (viewed: Int, saved: Int)] = [:]
        try database.collection(CollectionName.userJobInteractions).aggregate([
            ["$match": ["user_id": Self.anyOf(users), "interaction_type": ["$in": ["viewed", "saved"]]]],
            ["$group": ["_id": ["user": "$user_id", "type": "$interaction_type"], "n": ["$sum": 1]]],
        ], session: session) { group in
            guard let key = group.document("_id"), let user = key.objectID("user") else { return }
            switch key.string("type") {
            case "viewed": counts[user, default: (0, 0)].viewed = group.int("n") ?? 0
            case "saved": counts[user, default: (0, 0)].saved = group.int("n") ?? 0
            default: break
            }
        }
        return counts
    }

    /// The top missing skill of each of `users` (nil when none), from one find of their active matches.
    func topMissingSkills(of users: Set<ObjectID>, session: MongoSession?) throws -> [ObjectID: String?] {
        guard !users.isEmpty else { return [:] }
        var skills: [ObjectID: [[String]]] = [:]
        try database.collection(CollectionName.jobMatches).find(
            filter: ["user_id": Self.anyOf(users), "is_active": true],
            options: FindOptions(projection: ["_id": 0, "user_id": 1, "match_details.skills_missing": 1]),
            session: session
        ) { match in
            guard let user = match.objectID("user_id") else { return }
            let missing = match.document("match_details")?.array("skills_missing") ?? []
            skills[user, default: []].append(missing.compactMap(\.stringValue))
        }
        var top: [ObjectID: String?] = [:]
        for user in users { top[user] = UserStats.topMissingSkill(skills[user] ?? []) }
        return top
    }

    /// The `_id` of the stats document of each of `users` that has one.
    private func statsDocumentIDs(of users: [ObjectID], session: MongoSession?) throws -> [ObjectID: BSONValue] {
        var ids: [ObjectID: BSONValue] = [:]
        try database.collection(CollectionName.userStats).find(
            filter: ["user_id": ["$in": .array(users.map(BSONValue.objectID))]],
            options: FindOptions(projection: ["_id": 1, "user_id": 1]),
            session: session
        ) { document in
            if let user = document.objectID("user_id"), let id = document["_id"] { ids[user] = id }
        }
        return ids
    }

    private static func anyOf(_ users: Set<ObjectID>) -> BSONValue {
        ["$in": .array(users.map(BSONValue.objectID))]
    }
}
