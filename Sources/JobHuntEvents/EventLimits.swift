/// Every bound the decoder enforces, in one place, so JSON Schemas can mirror them.
///
/// - String lengths count Unicode scalars (code points), as JSON Schema's `maxLength` does.
///   Required strings must be non-empty; optional free text may be empty.
/// - An optional field that is absent or `null` is treated as absent.
/// - Unknown envelope attributes and unknown `data` fields are ignored (and not stored).
/// - No object key anywhere in `data` may start with `$` or contain `.` or NUL.
/// - Numbers are finite; a number where an integer is not required may be written either way.
public enum EventLimits {
    /// The largest body accepted, in bytes; larger is `malformed`.
    public static let maxBodyBytes = 1 << 20
    /// The deepest nesting of arrays and objects in a body, the envelope being level 1;
    /// deeper is `malformed`. Keeps stored documents well inside BSON's 100 levels.
    public static let maxNestingDepth = 32

    /// `id`: the idempotency key.
    public static let eventIDLength = 1...256
    /// `source`.
    public static let sourceLength = 1...1024

    /// `external_id` of JobPosted and `job_external_id` of the other types.
    public static let externalIDLength = 1...256
    /// `title`.
    public static let titleLength = 1...512
    /// `company`.
    public static let companyLength = 1...512
    /// `description`.
    public static let descriptionLength = 0...100_000
    /// `location`.
    public static let locationLength = 0...512
    /// `source_url`.
    public static let sourceURLLength = 0...2048
    /// `source_platform`.
    public static let sourcePlatformLength = 0...128
    /// `salary_range.currency` (a code such as "USD"; must not be empty).
    public static let currencyLength = 1...16
    /// `salary_range.min` and `.max` are at least this; `max` is at least `min`.
    public static let minimumSalary = 0.0
    /// `ml_features.processed_text`.
    public static let processedTextLength = 0...100_000
    /// `ml_features.keyword_vector`: at most this many numbers.
    public static let maxKeywordVectorCount = 65_536

    /// `skills_required`, `match_details.skills_matched`, `match_details.skills_missing`:
    /// at most this many entries.
    public static let maxSkillCount = 1_000
    /// Each skill entry (must not be empty).
    public static let skillLength = 1...256

    /// `match_reason`.
    public static let matchReasonLength = 0...4096
    /// `relevancy_score` and `match_details.overall_compatibility`.
    public static let scoreRange = 0.0...1.0

    /// `traceparent`, in UTF-8 bytes (55 in version 00 of W3C Trace Context; later versions
    /// may append fields).
    public static let traceParentLength = 1...256
    /// `tracestate`, in UTF-8 bytes (W3C allows 32 members of up to 256 characters; 512 is the
    /// length its propagators must keep).
    public static let traceStateLength = 1...512
}
