import JobHuntEvents
import JobHuntHandlers
import JobHuntTesting
import JobHuntWorkload
import MongoClient

/// What the database must hold after a workload: computed by applying the workload to the
/// reference model (retrying out-of-order events until nothing changes), then described in
/// terms both share (external ids, event ids, user ids).
struct ExpectedState: Equatable {
    struct Job: Hashable { let externalID: String, eventID: String, isActive: Bool }
    struct Match: Hashable { let user: String, jobExternalID: String, eventID: String }
    struct Interaction: Hashable { let user: String, jobExternalID: String, type: String }

    var jobs: Set<Job> = []
    var matches: Set<Match> = []
    var interactions: Set<Interaction> = []
    /// Per user with anything to count: (viewed, saved, top missing skill).
    var stats: [String: UserStats] = [:]

    /// The state the workload must produce.
    init(of workload: Workload) {
        self.init(of: workload.referenceModel())
    }

    /// The state the reference model holds.
    init(of model: ReferenceModel) {
        var externalIDByJobID: [ObjectIDHex: String] = [:]
        for (externalID, job) in model.jobs {
            externalIDByJobID[job.id] = externalID
            jobs.insert(Job(externalID: externalID, eventID: job.eventID, isActive: job.posting.isActive))
        }
        for stored in model.matches.values {
            matches.insert(Match(user: stored.match.userID.hex, jobExternalID: externalIDByJobID[stored.jobID]!, eventID: stored.eventID))
        }
        for interaction in model.interactions.values {
            interactions.insert(Interaction(user: interaction.user.hex, jobExternalID: externalIDByJobID[interaction.jobID]!, type: interaction.type.rawValue))
        }
        for (user, counted) in model.stats() {
            let userStats = UserStats(jobsViewed: counted.viewed, jobsSaved: counted.saved, topMissingSkill: counted.topMissingSkill)
            if userStats != .empty { stats[user.hex] = userStats }
        }
    }

    /// The state the database holds.
    init(of database: MongoDatabase) throws {
        var externalIDByJobID: [ObjectID: String] = [:]
        for job in try database.collection("jobs").find() {
            let externalID = job.string("external_id")!
            externalIDByJobID[job.objectID("_id")!] = externalID
            jobs.insert(Job(externalID: externalID, eventID: job.string("last_event_id") ?? "", isActive: job.bool("is_active") ?? true))
        }
        for match in try database.collection("job_matches").find() {
            matches.insert(Match(
                user: match.objectID("user_id")!.hex, jobExternalID: externalIDByJobID[match.objectID("job_id")!] ?? "?",
                eventID: match.string("last_event_id") ?? ""))
        }
        for interaction in try database.collection("user_job_interactions").find() {
            interactions.insert(Interaction(
                user: interaction.objectID("user_id")!.hex, jobExternalID: externalIDByJobID[interaction.objectID("job_id")!] ?? "?",
                type: interaction.string("interaction_type")!))
        }
        for document in try database.collection("user_stats").find() {
            let userStats = UserStats(
                jobsViewed: document.int("jobs_viewed") ?? 0, jobsSaved: document.int("jobs_saved") ?? 0,
                topMissingSkill: document.string("top_missing_skill"))
            if userStats != UserStats(jobsViewed: 0, jobsSaved: 0, topMissingSkill: nil) { stats[document.objectID("user_id")!.hex] = userStats }
        }
    }

    /// A short account of what differs, for a failing expectation.
    func differences(from other: ExpectedState) -> String {
        """
        jobs: \(jobs.count) vs \(other.jobs.count), differing \(jobs.symmetricDifference(other.jobs).count)
        matches: \(matches.count) vs \(other.matches.count), differing \(matches.symmetricDifference(other.matches).count)
        interactions: \(interactions.count) vs \(other.interactions.count), differing \(interactions.symmetricDifference(other.interactions).count)
        stats: \(stats.count) vs \(other.stats.count), differing users \(Set(stats.keys).union(other.stats.keys).filter { stats[$0] != other.stats[$0] }.count)
        """
    }
}
