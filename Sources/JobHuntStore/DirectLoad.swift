import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// Writes a known final state straight into the collections with unordered bulk inserts: the
/// benchmark's database ceiling ("the same final writes, done directly"). Not used by the worker.
public struct DirectLoad {
    private let database: MongoDatabase
    private let batchSize: Int

    /// A loader into `database`, `batchSize` documents per bulk write.
    public init(database: MongoDatabase, batchSize: Int = 1_000) {
        self.database = database
        self.batchSize = batchSize
    }

    /// Inserts the jobs, matches, interactions and stats of `storage` (an in-memory store that
    /// applied the workload) with the worker's document shapes. Returns how many documents.
    public func load(_ storage: InMemoryJobHuntStorage, users: [ObjectIDHex]) throws -> Int {
        let jobs = storage.allJobs
        let jobDocuments = jobs.map { JobDocument.make($0.job, version: $0.version).setting("_id", to: .objectID(ObjectID($0.id))) }
        let matchDocuments = storage.allMatches.compactMap { stored -> BSONDocument? in
            guard let jobID = try? storage.jobID(for: stored.match.job) else { return nil }
            return MatchDocument.make(stored.match, jobID: jobID, version: stored.version)
        }
        let interactionDocuments = storage.allInteractions.map { interaction in
            InteractionDocument.make(
                InteractionRecorded(userID: interaction.user, job: .id(interaction.job), interactionType: interaction.type),
                jobID: interaction.job, version: EventVersion(time: Timestamp(millisecondsSinceEpoch: 0), eventID: interaction.eventID))
        }
        let statsDocuments = users.map { user in
            StatsDocument.fields(storage.stats(for: user)).setting("user_id", to: .objectID(ObjectID(user)))
        }
        try insert(jobDocuments, into: CollectionName.jobs)
        try insert(matchDocuments, into: CollectionName.jobMatches)
        try insert(interactionDocuments, into: CollectionName.userJobInteractions)
        try insert(statsDocuments, into: CollectionName.userStats)
        return jobDocuments.count + matchDocuments.count + interactionDocuments.count + statsDocuments.count
    }

    private func insert(_ documents: [BSONDocument], into name: String) throws {
        let collection = database.collection(name)
        for start in stride(from: 0, to: documents.count, by: batchSize) {
            let batch = documents[start..<min(start + batchSize, documents.count)]
            _ = try collection.bulkWrite(batch.map(WriteModel.insertOne), ordered: false)
        }
    }
}
