import JSON

/// Reads typed fields of one JSON object, reporting problems with the field's path.
///
/// `null` is treated as absent everywhere. Errors name paths, never values.
struct FieldReader {
    let object: JSONObject
    /// The object's own path, e.g. "data.salary_range".
    let path: String

    /// The member `name`, or nil if absent or `null`.
    func value(_ name: String) -> JSONValue? {
        switch object[name] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    func invalid(_ name: String, _ problem: String) -> EventDecodingError {
        .schemaInvalid("\(path).\(name) \(problem)")
    }

    func required(_ name: String) throws(EventDecodingError) -> JSONValue {
        guard let value = value(name) else { throw invalid(name, "is required") }
        return value
    }

    // MARK: Strings

    func requiredString(_ name: String, length: ClosedRange<Int>) throws(EventDecodingError) -> String {
        try checkedString(required(name), name, length: length)
    }

    func optionalString(_ name: String, length: ClosedRange<Int>) throws(EventDecodingError) -> String? {
        guard let value = value(name) else { return nil }
        return try checkedString(value, name, length: length)
    }

    private func checkedString(
        _ value: JSONValue, _ name: String, length: ClosedRange<Int>
    ) throws(EventDecodingError) -> String {
        guard case .string(let string) = value else { throw invalid(name, "must be a string") }
        guard let problem = StringLength.problem(string, allowed: length) else { return string }
        throw invalid(name, problem)
    }

    func optionalEnum<Choice: RawRepresentable & CaseIterable>(
        _ name: String, as type: Choice.Type
    ) throws(EventDecodingError) -> Choice? where Choice.RawValue == String {
        guard let value = value(name) else { return nil }
        if case .string(let string) = value {
            // Same byte count and `==` means the same bytes for ASCII raw values, and is much
            // cheaper than the synthesized `init(rawValue:)`.
            for choice in Choice.allCases
            where choice.rawValue.utf8.count == string.utf8.count && choice.rawValue == string {
                return choice
            }
        }
        let choices = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        throw invalid(name, "must be one of \(choices)")
    }

    func optionalStringArray(
        _ name: String, maxCount: Int, itemLength: ClosedRange<Int>
    ) throws(EventDecodingError) -> [String]? {
        guard let value = value(name) else { return nil }
        guard case .array(let elements) = value else { throw invalid(name, "must be an array of strings") }
        guard elements.count <= maxCount else { throw invalid(name, "must have at most \(maxCount) entries") }
        var strings = [String]()
        strings.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                throw invalid("\(name)[\(index)]", "must be a string")
            }
            if let problem = StringLength.problem(string, allowed: itemLength) {
                throw invalid("\(name)[\(index)]", problem)
            }
            strings.append(string)
        }
        return strings
    }

    // MARK: Other scalars

    func optionalBool(_ name: String) throws(EventDecodingError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw invalid(name, "must be a boolean") }
        return flag
    }

    func optionalNumber(_ name: String) throws(EventDecodingError) -> Number? {
        guard let value = value(name) else { return nil }
        return try number(value, name)
    }

    func number(_ value: JSONValue, _ name: String) throws(EventDecodingError) -> Number {
        switch value {
        case .integer(let integer): return .integer(integer)
        case .double(let double): return .double(double)
        default: throw invalid(name, "must be a number")
        }
    }

    func requiredScore(_ name: String) throws(EventDecodingError) -> Double {
        try checkedScore(required(name), name)
    }

    func optionalScore(_ name: String) throws(EventDecodingError) -> Double? {
        guard let value = value(name) else { return nil }
        return try checkedScore(value, name)
    }

    private func checkedScore(_ value: JSONValue, _ name: String) throws(EventDecodingError) -> Double {
        let score = try number(value, name).doubleValue
        guard EventLimits.scoreRange.contains(score) else { throw invalid(name, "must be between 0 and 1") }
        return score
    }

    func optionalNumberArray(_ name: String, maxCount: Int) throws(EventDecodingError) -> [Number]? {
        guard let value = value(name) else { return nil }
        guard case .array(let elements) = value else { throw invalid(name, "must be an array of numbers") }
        guard elements.count <= maxCount else { throw invalid(name, "must have at most \(maxCount) entries") }
        var numbers = [Number]()
        numbers.reserveCapacity(elements.count)
        for element in elements {
            switch element {
            case .integer(let integer): numbers.append(.integer(integer))
            case .double(let double): numbers.append(.double(double))
            default: throw invalid(name, "must contain only numbers")
            }
        }
        return numbers
    }

    func optionalTimestamp(_ name: String) throws(EventDecodingError) -> Timestamp? {
        guard let value = value(name) else { return nil }
        guard case .string(let string) = value, let timestamp = Timestamp(rfc3339: string) else {
            throw invalid(name, "must be an RFC 3339 date-time")
        }
        return timestamp
    }

    func optionalObjectID(_ name: String) throws(EventDecodingError) -> ObjectIDHex? {
        guard let value = value(name) else { return nil }
        guard case .string(let string) = value, let id = ObjectIDHex(hex: string) else {
            throw invalid(name, "must be a 24-digit hex ObjectId")
        }
        return id
    }

    func requiredObjectID(_ name: String) throws(EventDecodingError) -> ObjectIDHex {
        guard let id = try optionalObjectID(name) else { throw invalid(name, "is required") }
        return id
    }

    // MARK: Objects

    func optionalObject(_ name: String) throws(EventDecodingError) -> JSONObject? {
        guard let value = value(name) else { return nil }
        guard case .object(let object) = value else { throw invalid(name, "must be an object") }
        return object
    }

    /// A reader for the nested object `name`, whose path is `nestedPath`.
    func optionalReader(_ name: String, nestedPath: String) throws(EventDecodingError) -> FieldReader? {
        guard let object = try optionalObject(name) else { return nil }
        return FieldReader(object: object, path: nestedPath)
    }
}
