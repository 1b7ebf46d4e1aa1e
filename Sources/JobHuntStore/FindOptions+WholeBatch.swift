import MongoClient

extension FindOptions {
    /// A find whose results a batch bounds: all of them in the first reply (the server's default
    /// first reply holds 101 documents, and each further reply is another round trip).
    /// `hint` names the index to use, so that the server does not choose among candidate
    /// indexes for every `$or` clause (a fifth of mongod's CPU in a 200k drain).
    static func wholeBatch(projection: BSONDocument, hint: String? = nil) -> FindOptions {
        FindOptions(projection: projection, batchSize: 100_000, hint: hint)
    }
}
