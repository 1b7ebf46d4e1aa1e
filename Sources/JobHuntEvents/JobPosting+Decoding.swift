import JSON

extension JobPosting {
    /// Validates the `data` of a JobPosted event (limits in `EventLimits`).
    init(data: JSONObject) throws(EventDecodingError) {
        let reader = FieldReader(object: data, path: "data")
        self.init(
            externalID: try reader.requiredString("external_id", length: EventLimits.externalIDLength),
            title: try reader.requiredString("title", length: EventLimits.titleLength),
            company: try reader.requiredString("company", length: EventLimits.companyLength),
            description: try reader.optionalString("description", length: EventLimits.descriptionLength),
            location: try reader.optionalString("location", length: EventLimits.locationLength),
            remoteType: try reader.optionalEnum("remote_type", as: RemoteType.self),
            skillsRequired: try reader.optionalStringArray(
                "skills_required", maxCount: EventLimits.maxSkillCount, itemLength: EventLimits.skillLength),
            postedDate: try reader.optionalTimestamp("posted_date"),
            sourceURL: try reader.optionalString("source_url", length: EventLimits.sourceURLLength),
            sourcePlatform: try reader.optionalString("source_platform", length: EventLimits.sourcePlatformLength),
            salaryRange: try reader.optionalReader("salary_range", nestedPath: "data.salary_range")
                .map { (nested) throws(EventDecodingError) in try SalaryRange(reader: nested) },
            mlFeatures: try reader.optionalReader("ml_features", nestedPath: "data.ml_features")
                .map { (nested) throws(EventDecodingError) in try MLFeatures(reader: nested) },
            isActive: try reader.optionalBool("is_active") ?? true
        )
    }
}

extension SalaryRange {
    /// Validates `data.salary_range`: non-negative bounds, `max >= min`, a currency code.
    init(reader: FieldReader) throws(EventDecodingError) {
        let min = try reader.optionalNumber("min")
        let max = try reader.optionalNumber("max")
        for (name, bound) in [("min", min), ("max", max)] {
            if let bound, bound.doubleValue < EventLimits.minimumSalary {
                throw reader.invalid(name, "must not be negative")
            }
        }
        if let min, let max, max.isLess(than: min) {
            throw reader.invalid("max", "must be >= \(reader.path).min")
        }
        self.init(
            min: min, max: max,
            currency: try reader.optionalString("currency", length: EventLimits.currencyLength))
    }
}

extension MLFeatures {
    /// Validates `data.ml_features`.
    init(reader: FieldReader) throws(EventDecodingError) {
        self.init(
            processedText: try reader.optionalString("processed_text", length: EventLimits.processedTextLength),
            keywordVector: try reader.optionalNumberArray(
                "keyword_vector", maxCount: EventLimits.maxKeywordVectorCount))
    }
}
