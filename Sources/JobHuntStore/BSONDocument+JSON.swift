import JSON
import MongoClient

extension BSONDocument {
    /// A JSON object as BSON, keys and order kept: integers as int64, other numbers as double.
    /// Keys were validated by the event decoder (no `$` prefix, `.` or NUL).
    init(json object: JSONObject) {
        self.init(object.map { ($0.key, BSONValue(json: $0.value)) })
    }
}

extension BSONValue {
    /// A JSON value as BSON.
    init(json value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let number): self = .int64(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(BSONValue.init(json:)))
        case .object(let object): self = .document(BSONDocument(json: object))
        }
    }
}
