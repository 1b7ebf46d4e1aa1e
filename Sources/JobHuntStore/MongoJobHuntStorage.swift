import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// `JobHuntStorage` on MongoDB. Safe to share between threads: every call pops its own client
/// from the pool.
public struct MongoJobHuntStorage: JobHuntStorage {
    private let database: MongoDatabase

    /// Storage in `database`.
    public init(database: MongoDatabase) {
        self.database = database
    }

    /// One conditional upsert: the filter matches only an older version, so a newer document
    /// makes the upsert collide with the unique `external_id` index instead of overwriting it.
    /// A collision can also be two workers inserting the same new job at once; the second try
    /// then sees the inserted document and decides on versions alone.
    public func upsertJob(_ job: JobPosting, version: EventVersion) throws -> VersionedWriteResult {
        try translatingMongoErrors {
            let jobs = database.collection(CollectionName.jobs)
            let filter = JobDocument.olderThanFilter(externalID: job.externalID, version: version)
            let replacement = JobDocument.make(job, version: version)
            for _ in 0..<2 {
                do {
                    _ = try jobs.replaceOne(filter: filter, replacement: replacement, upsert: true)
                    return .written
                } catch let error as MongoError where error.isDuplicateKey {
                    continue
                }
            }
            let current = try jobs.findOne(["external_id": .string(job.externalID)])
            return current?[JobDocument.versionIDField] == .string(version.eventID)
                && current?[JobDocument.versionTimeField] == .date(millisecondsSinceEpoch: version.time.millisecondsSinceEpoch)
                ? .sameVersion : .newerVersionPresent
        }
    }
}
