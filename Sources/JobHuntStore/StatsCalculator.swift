import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// Computes users' `StatsCounts` from the source collections: their `viewed` and `saved`
/// interactions and the missing skills of their active matches (`is_active: true`). This reads
/// a user's whole history; the worker does it once per user (when it has no counts yet) and
/// `stats rebuild` for every user it checks.
struct StatsCalculator {
    let database: MongoDatabase

    /// The counts of each of `users` (absent from the sources: all zero), from one aggregation
    /// and one find, inside `session` when given.
    func counts(of users: Set<ObjectID>, session: MongoSession? = nil) throws -> [ObjectID: StatsCounts] {
        guard !users.isEmpty else { return [:] }
        let anyUser: BSONValue = ["$in": .array(users.map(BSONValue.objectID))]
        var interactions: [ObjectID: (viewed: Int, saved: Int)] = [:]
        try database.collection(CollectionName.userJobInteractions).aggregate([
            ["$match": ["user_id": anyUser, "interaction_type": ["$in": ["viewed", "saved"]]]],
            ["$group": ["_id": ["user": "$user_id", "type": "$interaction_type"], "n": ["$sum": 1]]],
        ], session: session) { group in
            guard let key = group.document("_id"), let user = key.objectID("user") else { return }
            switch key.string("type") {
            case "viewed": interactions[user, default: (0, 0)].viewed = group.int("n") ?? 0
            case "saved": interactions[user, default: (0, 0)].saved = group.int("n") ?? 0
            default: break
            }
        }
        var skills: [ObjectID: [[String]]] = [:]
        try database.collection(CollectionName.jobMatches).find(
            filter: ["user_id": anyUser, "is_active": true],
            options: .wholeBatch(projection: ["_id": 0, "user_id": 1, "match_details.skills_missing": 1], hint: IndexCatalog.byUser),
            session: session
        ) { match in
            guard let user = match.objectID("user_id") else { return }
            skills[user, default: []].append(MatchDocument.skillsMissing(in: match))
        }
        var counts: [ObjectID: StatsCounts] = [:]
        for user in users {
            let interacted = interactions[user] ?? (0, 0)
            counts[user] = StatsCounts(viewed: interacted.viewed, saved: interacted.saved, activeMatchesSkillsMissing: skills[user] ?? [])
        }
        return counts
    }
}
