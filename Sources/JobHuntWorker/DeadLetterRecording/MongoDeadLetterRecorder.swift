import JobHuntEvents
import JobHuntHandlers
import JobHuntStore

/// Dead letters recorded in MongoDB's `dead_letters` through `DeadLetterStore`. The message's
/// AMQP headers become a BSON document here, and nowhere else on the way in.
struct MongoDeadLetterRecorder: DeadLetterRecorder {
    let store: DeadLetterStore

    /// Any failure counts as the database being unavailable: a record that cannot be written
    /// must not let its message be acked, and recording again is idempotent.
    func record(_ failure: FailedDelivery) throws(StorageUnavailable) -> String {
        let properties = failure.delivery.properties
        let record = DeadLetterFailure(
            eventID: failure.eventID, eventType: failure.eventType, reason: failure.reason, detail: failure.detail,
            queue: failure.queue, routingKey: failure.routingKey, body: failure.delivery.body,
            headers: HeaderDocument.document(from: properties.headers), contentType: properties.contentType,
            trace: failure.trace)
        do {
            return try store.record(record, now: Timestamp.now().millisecondsSinceEpoch)
        } catch let unavailable as StorageUnavailable {
            throw unavailable
        } catch {
            throw StorageUnavailable("recording a dead letter: \(error)")
        }
    }
}
