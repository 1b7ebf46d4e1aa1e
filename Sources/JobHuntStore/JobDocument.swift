import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// The `jobs` document of a posting, with the seed's field names and BSON types: dates as
/// dates, numbers as numbers. Absent optional fields are left out. `last_event_time` and
/// `last_event_id` record the version that wrote it (contract §5 ordering).
enum JobDocument {
    static let versionTimeField = "last_event_time"
    static let versionIDField = "last_event_id"

    static func make(_ job: JobPosting, version: EventVersion) -> BSONDocument {
        var doc: BSONDocument = [
            "external_id": .string(job.externalID),
            "title": .string(job.title),
            "company": .string(job.company),
        ]
        if let description = job.description { doc["description"] = .string(description) }
        if let location = job.location { doc["location"] = .string(location) }
        if let remoteType = job.remoteType { doc["remote_type"] = .string(remoteType.rawValue) }
        if let skills = job.skillsRequired { doc["skills_required"] = .array(skills.map { .string($0) }) }
        if let posted = job.postedDate { doc["posted_date"] = .date(millisecondsSinceEpoch: posted.millisecondsSinceEpoch) }
        if let url = job.sourceURL { doc["source_url"] = .string(url) }
        if let platform = job.sourcePlatform { doc["source_platform"] = .string(platform) }
        if let salary = job.salaryRange {
            var range = BSONDocument()
            if let min = salary.min { range["min"] = BSONValue(min) }
            if let max = salary.max { range["max"] = BSONValue(max) }
            if let currency = salary.currency { range["currency"] = .string(currency) }
            doc["salary_range"] = .document(range)
        }
        if let features = job.mlFeatures {
            var ml = BSONDocument()
            if let text = features.processedText { ml["processed_text"] = .string(text) }
            if let vector = features.keywordVector { ml["keyword_vector"] = .array(vector.map(BSONValue.init)) }
            doc["ml_features"] = .document(ml)
        }
        doc["is_active"] = .bool(job.isActive)
        doc[versionTimeField] = .date(millisecondsSinceEpoch: version.time.millisecondsSinceEpoch)
        doc[versionIDField] = .string(version.eventID)
        return doc
    }
}

extension BSONValue {
    /// A JSON number as BSON, keeping its kind: integers as int64, others as double.
    init(_ number: Number) {
        switch number {
        case .integer(let value): self = .int64(value)
        case .double(let value): self = .double(value)
        }
    }
}
