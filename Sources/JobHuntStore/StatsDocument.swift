import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// The `user_stats` document: the contract's fields, plus the worker's own
/// `missing_skill_counts`, the per-skill counts that the top missing skill follows from. Skills
/// are stored as values (`{skill, count}` entries sorted by skill), never as field names, since
/// a skill may hold `.` or `$`.
enum StatsDocument {
    static let skillCountsField = "missing_skill_counts"

    /// The fields the worker writes.
    static func fields(_ counts: StatsCounts, calculatedAt now: Int64 = Timestamp.now().millisecondsSinceEpoch) -> BSONDocument {
        let skills = counts.missingSkills.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return [
            "jobs_viewed": .int64(Int64(counts.jobsViewed)),
            "jobs_saved": .int64(Int64(counts.jobsSaved)),
            "top_missing_skill": counts.topMissingSkill.map(BSONValue.string) ?? .null,
            "last_calculated": .date(millisecondsSinceEpoch: now),
            skillCountsField: .array(skills.map { .document(["skill": .string($0.key), "count": .int64(Int64($0.value))]) }),
        ]
    }

    /// The stats a stored document shows (missing counts read as 0).
    static func stats(of document: BSONDocument) -> UserStats {
        UserStats(
            jobsViewed: document.int("jobs_viewed") ?? 0,
            jobsSaved: document.int("jobs_saved") ?? 0,
            topMissingSkill: document.string("top_missing_skill"))
    }

    /// The counts the worker keeps in `document`; nil when it has none (another writer made the
    /// document, or it predates the counts).
    static func counts(of document: BSONDocument) -> StatsCounts? {
        guard let entries = document.array(skillCountsField) else { return nil }
        var skills: [String: Int] = [:]
        for entry in entries {
            guard let entry = entry.documentValue, let skill = entry.string("skill"), let count = entry.int("count") else { return nil }
            skills[skill] = count
        }
        return StatsCounts(jobsViewed: document.int("jobs_viewed") ?? 0, jobsSaved: document.int("jobs_saved") ?? 0, missingSkills: skills)
    }

    /// The projection that reads what `counts(of:)` needs.
    static let projection: BSONDocument = ["_id": 1, "user_id": 1, "jobs_viewed": 1, "jobs_saved": 1, "top_missing_skill": 1, "missing_skill_counts": 1]
}
