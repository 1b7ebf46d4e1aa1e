/// How an event names a job: by its MongoDB `_id` or by the producer's `external_id`.
public enum JobReference: Sendable, Hashable {
    /// `job_id`: the job document's ObjectId.
    case id(ObjectIDHex)
    /// `job_external_id`: the job's `external_id`.
    case externalID(String)
}
