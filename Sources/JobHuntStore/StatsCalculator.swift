import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// Computes a user's `user_stats` from the source collections and writes it.
struct StatsCalculator {
    let database: MongoDatabase

    /// The stats of `user` as the source collections say now (inside `session`, if given).
    func compute(user: ObjectID, session: MongoSession? = nil) throws -> UserStats {
        var viewed = 0
        var saved = 0
        try database.collection(CollectionName.userJobInteractions).aggregate([
            ["$match": ["user_id": .objectID(user), "interaction_type": ["$in": ["viewed", "saved"]]]],
            ["$group": ["_id": "$interaction_type", "n": ["$sum": 1]]],
        ], session: session) { group in
            switch group.string("_id") {
            case "viewed": viewed = group.int("n") ?? 0
            case "saved": saved = group.int("n") ?? 0
            default: break
            }
        }
        var skills: [[String]] = []
        try database.collection(CollectionName.jobMatches).find(
            filter: ["user_id": .objectID(user), "is_active": true],
            options: FindOptions(projection: ["_id": 0, "match_details.skills_missing": 1]),
            session: session
        ) { match in
            let missing = match.document("match_details")?.array("skills_missing") ?? []
            skills.append(missing.compactMap(\.stringValue))
        }
        return UserStats(jobsViewed: viewed, jobsSaved: saved, topMissingSkill: UserStats.topMissingSkill(skills))
    }

    /// Recomputes and stores the stats of `user` (creating the document when missing).
    func refresh(user: ObjectID, session: MongoSession? = nil) throws {
        let stats = try compute(user: user, session: session)
        try write(stats, user: user, session: session)
    }

    /// Stores `stats` as the stats of `user`, stamped with the current time.
    func write(_ stats: UserStats, user: ObjectID, session: MongoSession? = nil) throws {
        try database.collection(CollectionName.userStats).updateOne(
            filter: ["user_id": .objectID(user)],
            update: ["$set": .document(StatsDocument.fields(stats))],
            upsert: true, session: session)
    }
}

/// The `user_stats` fields of some stats.
enum StatsDocument {
    static func fields(_ stats: UserStats, calculatedAt now: Int64 = Timestamp.now().millisecondsSinceEpoch) -> BSONDocument {
        [
            "jobs_viewed": .int64(Int64(stats.jobsViewed)),
            "jobs_saved": .int64(Int64(stats.jobsSaved)),
            "top_missing_skill": stats.topMissingSkill.map(BSONValue.string) ?? .null,
            "last_calculated": .date(millisecondsSinceEpoch: now),
        ]
    }

    /// The stats a stored document holds (missing counts read as 0).
    static func stats(of document: BSONDocument) -> UserStats {
        UserStats(
            jobsViewed: document.int("jobs_viewed") ?? 0,
            jobsSaved: document.int("jobs_saved") ?? 0,
            topMissingSkill: document.string("top_missing_skill"))
    }
}
