import JobHuntHandlers
import MongoClient

extension MongoError {
    /// This error in the handlers' terms: infrastructure failures are retried, the rest are
    /// writes the database refused.
    var storageError: any Error {
        if isInfrastructure { return StorageUnavailable("MongoDB: \(self)") }
        return StorageRejection(.constraintViolation, "MongoDB refused the write: \(self)")
    }
}

/// Runs `body`, translating `MongoError` into the handlers' storage errors.
func translatingMongoErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as MongoError {
        throw error.storageError
    }
}
