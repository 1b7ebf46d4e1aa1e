import MongoClient

extension BSONDocument {
    /// This document as an insert (or an upsert's insert) stores it: a new ObjectId `_id`
    /// first, then its fields in order.
    func withNewObjectID() -> BSONDocument {
        var stored: BSONDocument = ["_id": .objectID(ObjectID())]
        for (field, value) in self { stored[field] = value }
        return stored
    }
}

extension BSONDocument {
    /// This document followed by the fields of `other` (a field of both takes `other`'s value).
    func appending(_ other: BSONDocument) -> BSONDocument {
        var result = self
        for (field, value) in other { result[field] = value }
        return result
    }
}
