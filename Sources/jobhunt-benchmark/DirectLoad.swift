import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import JobHuntTesting
import MongoClient

/// Writes a known final state straight into the collections with unordered bulk inserts: the
/// benchmark's database ceiling ("the same final writes, done directly").
struct DirectLoad {
    private let database: MongoDatabase
    private let batchSize: Int

    /// A loader into `database`, `batchSize` documents per bulk write.
    init(database: MongoDatabase, batchSize: Int = 1_000) {
        self.database = database
        self.batchSize = batchSize
    }

    /// The documents of `model` (the reference model after the workload), with the worker's
    /// shapes, by collection; built apart from `insert` so that only writing is timed.
    static func documents(of model: ReferenceModel, users: [ObjectIDHex]) -> [(collection: String, documents: [BSONDocument])] {
        let jobs = model.jobs.values.map { job in
            StoredDocuments.job(job.posting, id: job.id, version: EventVersion(time: job.time, eventID: job.eventID))
        }
        let matches = model.matches.values.map { stored in
            StoredDocuments.match(stored.match, jobID: stored.jobID, version: EventVersion(time: stored.time, eventID: stored.eventID))
        }
        let interactions = model.interactions.values.map { interaction in
            StoredDocuments.interaction(
                InteractionKey(user: interaction.user, job: interaction.jobID, type: interaction.type),
                version: EventVersion(time: interaction.time, eventID: interaction.eventID))
        }
        var viewed: [ObjectIDHex: Int] = [:]
        var saved: [ObjectIDHex: Int] = [:]
        for interaction in model.interactions.values {
            if interaction.type == .viewed { viewed[interaction.user, default: 0] += 1 }
            if interaction.type == .saved { saved[interaction.user, default: 0] += 1 }
        }
        var skills: [ObjectIDHex: [[String]]] = [:]
        for stored in model.matches.values where stored.match.isActive {
            skills[stored.match.userID, default: []].append(stored.match.matchDetails?.skillsMissing ?? [])
        }
        let stats = users.map { user in
            StoredDocuments.stats(user: user, counts: StatsCounts(
                viewed: viewed[user] ?? 0, saved: saved[user] ?? 0, activeMatchesSkillsMissing: skills[user] ?? []))
        }
        return [
            (CollectionName.jobs, jobs), (CollectionName.jobMatches, matches),
            (CollectionName.userJobInteractions, interactions), (CollectionName.userStats, stats),
        ]
    }

    /// Inserts `documents` into `name` with unordered bulk writes of `batchSize`.
    func insert(_ documents: [BSONDocument], into name: String) throws {
        let collection = database.collection(name)
        for start in stride(from: 0, to: documents.count, by: batchSize) {
            let batch = documents[start..<min(start + batchSize, documents.count)]
            _ = try collection.bulkWrite(batch.map(WriteModel.insertOne), ordered: false)
        }
    }
}
