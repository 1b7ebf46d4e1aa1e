import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// Computes a user's `user_stats` from the source collections and writes it.
struct StatsCalculator {
    let database: MongoDatabase

    /// The stats of `user` as the source collections say now (inside `session`, if given):
    /// the same aggregation and find as a batch, for one user.
    func compute(user: ObjectID, session: MongoSession? = nil) throws -> UserStats {
        let counts = try counts(of: [user], session: session)[user] ?? (viewed: 0, saved: 0)
        let skill = try topMissingSkills(of: [user], session: session)[user] ?? nil
        return UserStats(jobsViewed: counts.viewed, jobsSaved: counts.saved, topMissingSkill: skill)
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
