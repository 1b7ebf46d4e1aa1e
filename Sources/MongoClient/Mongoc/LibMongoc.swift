// The C boundary of this module: everything that touches libmongoc or libbson lives in this
// folder. Pointers handed to closures here are valid only for the closure's duration and must
// not escape it.
import CMongoC

enum LibMongoc {
    /// `mongoc_init` runs once per process, before the first pool (a lazily initialised global
    /// is initialised exactly once, thread-safely). `mongoc_cleanup` is never called: pools may
    /// live until exit.
    private static let initialized: Void = {
        MongoDriverLog.install()
        mongoc_init()
    }()

    static func initialize() { _ = initialized }
}

enum LibBSON {
    /// 12 fresh ObjectId bytes from `bson_oid_init` (libbson's default, thread-safe context).
    static func newObjectIDBytes() -> [UInt8] {
        var oid = bson_oid_t()
        bson_oid_init(&oid, nil)
        return withUnsafeBytes(of: oid.bytes) { Array($0) }
    }
}

extension bson_error_t {
    /// The NUL-terminated message as a Swift string.
    var messageText: String {
        withUnsafeBytes(of: message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
