import CMongoC

extension BSONDocument {
    /// Calls `body` with a read-only `bson_t` over this document's encoding (no copy). The
    /// pointer is valid only inside `body` and must not escape.
    func withBSON<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
        var encoder = try StaticBSONEncoder()
        defer { encoder.free() }
        return try encoder.encode(self, body)
    }

    /// Calls `body` with a writable, heap-allocated copy (for options that libmongoc appends
    /// to, such as a session id); destroyed when `body` returns.
    func withMutableBSON<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
        let bytes = try bsonBytes()
        guard let bson = bytes.withUnsafeBufferPointer({ bson_new_from_data($0.baseAddress, $0.count) }) else {
            throw MongoError(kind: .invalidBSON, message: "bson_new_from_data refused a document")
        }
        defer { bson_destroy(bson) }
        return try body(bson)
    }

    /// Copies a document out of a `bson_t` owned by the caller.
    init(copying bson: OpaquePointer) throws {
        guard let data = bson_get_data(bson) else {
            throw MongoError(kind: .invalidBSON, message: "document without data")
        }
        try self.init(bsonBuffer: UnsafeRawBufferPointer(start: data, count: Int(jobhunt_bson_len(bson))))
    }
}

/// Encodes documents one after another into a reused buffer and presents each as a static
/// `bson_t` over that buffer: no allocation per document once the buffer has grown. The owner
/// calls `free()` exactly once (in a `defer`).
struct StaticBSONEncoder {
    private let storage: OpaquePointer  // uninitialised bson_t storage, aligned
    private var writer = BSONWriter()

    init() throws {
        guard let storage = jobhunt_bson_storage_alloc() else {
            throw MongoError(kind: .driver, message: "out of memory")
        }
        self.storage = storage
    }

    func free() { jobhunt_bson_storage_free(storage) }

    /// Calls `body` with `document` as a `bson_t`, valid only inside `body`.
    mutating func encode<R>(_ document: BSONDocument, _ body: (OpaquePointer) throws -> R) throws -> R {
        writer.reset()
        try writer.appendDocument(document)
        return try present(body)
    }

    /// Calls `body` with `values` encoded as a BSON array (keys "0", "1", ...), as libmongoc
    /// expects an update pipeline.
    mutating func encode<R>(array values: [BSONValue], _ body: (OpaquePointer) throws -> R) throws -> R {
        writer.reset()
        try writer.appendArray(values)
        return try present(body)
    }

    private func present<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
        try writer.bytes.withUnsafeBufferPointer { buffer in
            guard bson_init_static(storage, buffer.baseAddress, buffer.count) else {
                throw MongoError(kind: .invalidBSON, message: "bson_init_static refused a document")
            }
            return try body(storage)
        }
    }
}

/// Calls `call` with a fresh reply document and error; returns the decoded reply, or throws
/// the mapped error (with the reply's labels) when `call` returns false. The reply is freed
/// before this returns.
func withReply(
    fileID: String, line: Int,
    _ call: (_ reply: OpaquePointer, _ error: UnsafeMutablePointer<bson_error_t>) -> Bool
) throws -> BSONDocument {
    guard let reply = jobhunt_bson_reply_alloc() else {
        throw MongoError(kind: .driver, message: "out of memory", fileID: fileID, line: line)
    }
    defer { jobhunt_bson_reply_free(reply) }
    var error = bson_error_t()
    let ok = call(reply, &error)
    let document = try? BSONDocument(copying: reply)
    guard ok else { throw MongoError(libmongoc: error, reply: document, fileID: fileID, line: line) }
    guard let document else {
        throw MongoError(kind: .invalidBSON, message: "undecodable reply", fileID: fileID, line: line)
    }
    return document
}

/// Runs `call` (which returns false and fills the error on failure) and throws the mapped error.
func checking(fileID: String, line: Int, _ call: (UnsafeMutablePointer<bson_error_t>) -> Bool) throws {
    var error = bson_error_t()
    guard call(&error) else { throw MongoError(libmongoc: error, reply: nil, fileID: fileID, line: line) }
}

/// Reads every document of `cursor`, then destroys it (this function owns the cursor).
func drain(
    cursor: OpaquePointer?, fileID: String, line: Int, _ body: (BSONDocument) throws -> Void
) throws {
    guard let cursor else {
        throw MongoError(kind: .driver, message: "libmongoc returned no cursor", fileID: fileID, line: line)
    }
    defer { mongoc_cursor_destroy(cursor) }
    var current: OpaquePointer? = nil
    while mongoc_cursor_next(cursor, &current) {
        guard let current else { break }
        try body(BSONDocument(copying: current))
    }
    var error = bson_error_t()
    var reply: OpaquePointer? = nil  // owned by the cursor
    if mongoc_cursor_error_document(cursor, &error, &reply) {
        let document = reply.flatMap { try? BSONDocument(copying: $0) }
        throw MongoError(libmongoc: error, reply: document, fileID: fileID, line: line)
    }
}
