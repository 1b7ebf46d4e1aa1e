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

extension StatsCalculator {
    /// The stats of each of `users` as the source collections say now (inside `session`, if
    /// given): the same values as `compute(user:)`, from one aggregation and one find.
    func compute(users: [ObjectID], session: MongoSession? = nil) throws -> [ObjectID: UserStats] {
        guard !users.isEmpty else { return [:] }
        let anyUser: BSONValue = ["$in": .array(users.map(BSONValue.objectID))]
        var stats = Dictionary(users.map { ($0, UserStats(jobsViewed: 0, jobsSaved: 0, topMissingSkill: nil)) }) { first, _ in first }
        try database.collection(CollectionName.userJobInteractions).aggregate([
            ["$match": ["user_id": anyUser, "interaction_type": ["$in": ["viewed", "saved"]]]],
            ["$group": ["_id": ["user": "$user_id", "type": "$interaction_type"], "n": ["$sum": 1]]],
        ], session: session) { group in
            guard let key = group.document("_id"), let user = key.objectID("user"), stats[user] != nil else { return }
            switch key.string("type") {
            case "viewed": stats[user]?.jobsViewed = group.int("n") ?? 0
            case "saved": stats[user]?.jobsSaved = group.int("n") ?? 0
            default: break
            }
        }
        var skills: [ObjectID: [[String]]] = [:]
        try database.collection(CollectionName.jobMatches).find(
            filter: ["user_id": anyUser, "is_active": true],
            options: FindOptions(projection: ["_id": 0, "user_id": 1, "match_details.skills_missing": 1]),
            session: session
        ) { match in
            guard let user = match.objectID("user_id") else { return }
            let missing = match.document("match_details")?.array("skills_missing") ?? []
            skills[user, default: []].append(missing.compactMap(\.stringValue))
        }
        for (user, userSkills) in skills where stats[user] != nil {
            stats[user]?.topMissingSkill = UserStats.topMissingSkill(userSkills)
        }
        return stats
    }

    /// Recomputes and stores the stats of every user in `users`, as `refresh(user:)` does for
    /// one: one aggregation, one find, one find of the existing stats documents, and one bulk
    /// write: updates by `_id` (the server's fastest path) where a document exists, upserts by
    /// `user_id` where none does yet.
    func refresh(users: [ObjectID], session: MongoSession? = nil) throws {
        guard !users.isEmpty else { return }
        let stats = try compute(users: users, session: session)
        let existing = try statsDocumentIDs(of: users, session: session)
        let now = Timestamp.now().millisecondsSinceEpoch
        var written = Set<ObjectID>()
        let models = users.compactMap { user -> WriteModel? in
            guard written.insert(user).inserted, let userStats = stats[user] else { return nil }
            let update = UpdateModification.document(["$set": .document(StatsDocument.fields(userStats, calculatedAt: now))])
            if let id = existing[user] {
                return .updateOne(filter: ["_id": id], update: update)
            }
            return .updateOne(filter: ["user_id": .objectID(user)], update: update, upsert: true)
        }
        let result = try database.collection(CollectionName.userStats).bulkWrite(models, session: session)
        if let failure = result.writeErrors.first { throw failure.mongoError }
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
