import JSON

/// Rejects object keys MongoDB would misread or refuse: a leading `$` (operators), a `.`
/// (paths), NUL (C strings), or an empty key (libmongoc refuses to store it). Checks every object in `data`, free-form ones included.
enum StorageKeyCheck {
    /// Throws `schema_invalid` for the first forbidden key anywhere inside `data`.
    ///
    /// The detail names the top-level `data` member the key was found under (when that
    /// member's own name is a short plain identifier), never the key itself.
    static func check(data: JSONObject) throws(EventDecodingError) {
        let found: (member: Int, problem: String)? = data.members.withUnsafeBufferPointer { members in
            for index in members.indices {
                if let problem = problem(with: members[index].key) { return (-1, problem) }
                if let problem = firstProblem(in: members[index].value) { return (index, problem) }
            }
            return nil
        }
        guard let (index, problem) = found else { return }
        if index >= 0, isPlainIdentifier(data.members[index].key) {
            throw .schemaInvalid("data.\(data.members[index].key) has an object key that \(problem)")
        }
        throw .schemaInvalid("data has an object key that \(problem)")
    }

    /// The problem with the first forbidden key within `value`, or nil.
    /// Recursion is bounded by the parser's depth limit.
    private static func firstProblem(in value: JSONValue) -> String? {
        switch value {
        case .object(let object):
            return object.members.withUnsafeBufferPointer { members in
                for index in members.indices {
                    if let problem = problem(with: members[index].key) ?? firstProblem(in: members[index].value) {
                        return problem
                    }
                }
                return nil
            }
        case .array(let elements):
            return elements.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if let problem = firstProblem(in: elements[index]) { return problem }
                }
                return nil
            }
        default:
            return nil
        }
    }

    /// What is wrong with `key`, or nil if it is safe to store.
    static func problem(with key: String) -> String? {
        var key = key
        return key.withUTF8 { bytes in  // no copy for native strings
            if bytes.isEmpty { return "is empty" }
            if bytes.first == UInt8(ascii: "$") { return "starts with '$'" }
            for byte in bytes {
                if byte == UInt8(ascii: ".") { return "contains '.'" }
                if byte == 0 { return "contains NUL" }
            }
            return nil
        }
    }

    /// Lowercase letters, digits and underscores, at most 64 of them: safe to echo.
    private static func isPlainIdentifier(_ key: String) -> Bool {
        key.utf8.count <= 64 && key.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
