/// The collections of the seed guide, plus the worker's own.
public enum CollectionName {
    /// Registered users (written by the REST backend; the worker only reads them).
    public static let users = "users"
    /// Job postings, keyed by `external_id`.
    public static let jobs = "jobs"
    /// One ML match per (`user_id`, `job_id`).
    public static let jobMatches = "job_matches"
    /// Users' saved searches (the REST backend's; indexed here only).
    public static let savedSearches = "saved_searches"
    /// One interaction per (`user_id`, `job_id`, `interaction_type`).
    public static let userJobInteractions = "user_job_interactions"
    /// One stats document per user.
    public static let userStats = "user_stats"
}
