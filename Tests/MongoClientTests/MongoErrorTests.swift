import Testing
@testable import MongoClient

@Suite("Error classification and URI handling (no server)")
struct MongoErrorTests {
    @Test(arguments: [6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436, 50, 262])
    func infrastructureServerCodes(code: Int) {
        let error = MongoError(kind: MongoError.kind(forServerCode: code), domain: 17, code: code, message: "")
        #expect(error.isInfrastructure)
        #expect(!error.isDuplicateKey)
    }

    @Test func requestErrorsAreNotInfrastructure() {
        let duplicate = MongoError(kind: MongoError.kind(forServerCode: 11000), domain: 17, code: 11000, message: "")
        #expect(duplicate.isDuplicateKey)
        #expect(!duplicate.isInfrastructure)
        let validation = MongoError(kind: .server(121), domain: 17, code: 121, message: "")
        #expect(!validation.isInfrastructure)
        #expect(!MongoError(kind: .invalidArgument, message: "").isInfrastructure)
    }

    @Test func retryableLabelsMakeAnyErrorInfrastructure() {
        let labelled = MongoError(kind: .server(2), domain: 17, code: 2, message: "", labels: ["RetryableWriteError"])
        #expect(labelled.isInfrastructure)
        #expect(MongoError(kind: .server(2), message: "", labels: ["TransientTransactionError"]).isInfrastructure)
    }

    @Test func descriptionIsTerse() {
        let error = MongoError(kind: .duplicateKey, domain: 17, code: 11000, message: "dup key: { k: \"secret\" }")
        #expect(!error.description.contains("secret"))
        #expect(error.description.contains("11000"))
        #expect(error.debugDescription.contains("secret"))
    }

    @Test func serverSelectionSaysWhyNoServerWasFound() {
        let reason = "No suitable servers found: [TLS handshake failed: certificate verify failed calling hello on 'h:1']"
        let error = MongoError(kind: .serverSelection, domain: 13, code: 13053, message: reason)
        #expect(error.description.hasSuffix(": \(reason)"))
    }

    @Test func redactsPasswordsFromMessages() {
        let uri = "mongodb://alice:s3cr%40t@db.example:27017/?tlsCertificateKeyFilePassword=pem-pass&tls=true"
        let message = "bad 'alice:s3cr%40t' or s3cr@t or pem-pass here"
        let redacted = redactingSecrets(of: uri, in: message)
        #expect(!redacted.contains("s3cr"))
        #expect(!redacted.contains("pem-pass"))
        #expect(redacted.contains("<redacted>"))
    }

    @Test(arguments: [
        "mongodb://alice:hunter2@db.example:notaport/",
        "mongodb://alice:hunter2@db.example:99999/",
        "mongodb://alice:hunter2@db.example/?readPreference=hunter2",
        "mongodb://alice:hunter2@/",
        "http://alice:hunter2@db.example/",
        "mongodb://alice:hunter2@db.example/?replicaSet=rs0&w=-7&authMechanism=hunter2",
        "mongodb://alice:hunter2@db.example/?tlsCertificateKeyFilePassword=hunter2&tls=false&tlsInsecure=hunter2",
    ])
    func invalidURIIsAClearErrorWithoutThePassword(uri: String) {
        let error = #expect(throws: MongoError.self) { try MongoClientPool(uri: uri) }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message.isEmpty == false)
        #expect(error?.message.contains("hunter2") == false)
        #expect(error?.message.contains("hun@ter2") == false)
        #expect(error?.debugDescription.contains("hunter2") == false)
        #expect(error?.isInfrastructure == false)
    }

    @Test(.timeLimit(.minutes(1)))
    func unreachableServerIsInfrastructure() throws {
        let pool = try MongoClientPool(uri: "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300&connectTimeoutMS=300")
        defer { pool.close() }
        let started = ContinuousClock.now
        let error = #expect(throws: MongoError.self) {
            try pool.database("unreachable").collection("c").insertOne(["a": 1])
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(error?.isInfrastructure == true)
        #expect(error?.kind == .serverSelection)
    }

    @Test func closedPoolRefusesOperations() throws {
        let pool = try MongoClientPool(uri: "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300")
        pool.close()
        pool.close()
        let error = #expect(throws: MongoError.self) { try pool.database("d").runCommand(["ping": 1]) }
        #expect(error?.kind == .poolClosed)
        #expect(error?.isInfrastructure == true)
    }
}
