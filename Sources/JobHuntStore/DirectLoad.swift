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

    /// The documents of `storage` (an in-memory store that applied the workload), with the
    /// worker's shapes, by collection; built apart from `insert` so that only writing is timed.
    public static func documents(of storage: InMemoryJobHuntStorage, users: [ObjectIDHex]) -> [(collection: String, documents: [BSONDocument])] {
        let jobs = storage.allJobs
        let jobDocuments = jobs.map { JobDocument.make($0.job, version: $0.version).setting("_id", to: .objectID(ObjectID($0.id))) }
        let matchDocuments = storage.allMatches.compactMap { stored -> BSONDocument? in
            guard let jobID = try? storage.jobID(for: stored.match.job) else { return nil }
            return MatchDocument.make(stored.match, jobID: jobID, version: stored.version)
        }
        let interactionDocuments = storage.allInteractions.map { interaction in
            InteractionDocument.key(
                InteractionRecorded(userID: interaction.user, job: .id(interaction.job), interactionType: interaction.type),
                jobID: interaction.job
            ).appending(InteractionDocument.insertedFields(EventVersion(time: Timestamp(millisecondsSinceEpoch: 0), eventID: interaction.eventID)))
        }
        let allStats = storage.allStats()
        let empty = UserStats(jobsViewed: 0, jobsSaved: 0, topMissingSkill: nil)
        let statsDocuments = users.map { user in
            StatsDocument.fields(allStats[user] ?? empty).setting("user_id", to: .objectID(ObjectID(user)))
        }
        return [
            (CollectionName.jobs, jobDocuments), (CollectionName.jobMatches, matchDocuments),
            (CollectionName.userJobInteractions, interactionDocuments), (CollectionName.userStats, statsDocuments),
        ]
    }

    /// Inserts `documents` into `name` with unordered bulk writes of `batchSize`.
    public func insert(_ documents: [BSONDocument], into name: String) throws {
        let collection = database.collection(name)
        for start in stride(from: 0, to: documents.count, by: batchSize) {
            let batch = documents[start..<min(start + batchSize, documents.count)]
            _ = try collection.bulkWrite(batch.map(WriteModel.insertOne), ordered: false)
        }
    }
}
