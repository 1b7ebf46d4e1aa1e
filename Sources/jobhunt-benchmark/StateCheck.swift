import JobHuntEvents
import JobHuntHandlers
import JobHuntTesting
import MongoClient

/// The benchmark's correctness check: the database holds what the reference model holds
/// (jobs by external id and version, matches, interactions, and every user's stats).
enum StateCheck {
    struct Counts: Equatable, CustomStringConvertible {
        var jobs = 0, matches = 0, interactions = 0
        var description: String { "jobs=\(jobs) matches=\(matches) interactions=\(interactions)" }
    }

    static func expectedCounts(_ model: ReferenceModel) -> Counts {
        Counts(jobs: model.jobs.count, matches: model.matches.count, interactions: model.interactions.count)
    }

    /// The metadata counts: O(1), so that polling them during the drain takes nothing from
    /// the worker (exact counts scan the collections, which at 1M events cost mongod a fifth of
    /// its CPU). The correctness check afterwards reads everything.
    static func counts(in database: MongoDatabase) throws -> Counts {
        Counts(
            jobs: try database.collection("jobs").estimatedDocumentCount(),
            matches: try database.collection("job_matches").estimatedDocumentCount(),
            interactions: try database.collection("user_job_interactions").estimatedDocumentCount())
    }

    /// Differences between the database and the reference, as lines (empty when equal).
    static func differences(_ database: MongoDatabase, _ model: ReferenceModel, users: [ObjectIDHex]) throws -> [String] {
        var problems: [String] = []
        var versionByExternalID: [String: String] = [:]
        var externalIDByJobID: [ObjectID: String] = [:]
        for job in try database.collection("jobs").find(options: FindOptions(projection: ["external_id": 1, "last_event_id": 1])) {
            guard let externalID = job.string("external_id"), let id = job.objectID("_id") else { continue }
            versionByExternalID[externalID] = job.string("last_event_id")
            externalIDByJobID[id] = externalID
        }
        let wrongJobs = model.jobs.values.filter { versionByExternalID[$0.posting.externalID] != $0.eventID }.count
        if wrongJobs > 0 || versionByExternalID.count != model.jobs.count { problems.append("jobs: \(wrongJobs) differ, \(versionByExternalID.count) stored vs \(model.jobs.count)") }
        var matchVersions: [String: String] = [:]
        for match in try database.collection("job_matches").find(options: FindOptions(projection: ["user_id": 1, "job_id": 1, "last_event_id": 1])) {
            guard let user = match.objectID("user_id"), let job = match.objectID("job_id") else { continue }
            matchVersions["\(user.hex)/\(externalIDByJobID[job] ?? "?")"] = match.string("last_event_id")
        }
        let wrongMatches = model.matches.values.filter { stored in
            guard case .externalID(let externalID) = stored.match.job else { return true }
            return matchVersions["\(stored.match.userID.hex)/\(externalID)"] != stored.eventID
        }.count
        if wrongMatches > 0 || matchVersions.count != model.matches.count { problems.append("matches: \(wrongMatches) differ, \(matchVersions.count) stored vs \(model.matches.count)") }
        let interactions = try database.collection("user_job_interactions").countDocuments()
        if interactions != model.interactions.count { problems.append("interactions: \(interactions) stored vs \(model.interactions.count)") }
        var storedStats: [ObjectID: UserStats] = [:]
        for document in try database.collection("user_stats").find() {
            guard let user = document.objectID("user_id") else { continue }
            storedStats[user] = UserStats(jobsViewed: document.int("jobs_viewed") ?? 0, jobsSaved: document.int("jobs_saved") ?? 0, topMissingSkill: document.string("top_missing_skill"))
        }
        let empty = UserStats.empty
        let expectedStats = model.stats().mapValues { UserStats(jobsViewed: $0.viewed, jobsSaved: $0.saved, topMissingSkill: $0.topMissingSkill) }
        let wrongStats = users.filter { (storedStats[ObjectID(bytes: $0.bytes)!] ?? empty) != (expectedStats[$0] ?? empty) }.count
        if wrongStats > 0 { problems.append("user_stats: \(wrongStats) users differ") }
        return problems
    }
}
