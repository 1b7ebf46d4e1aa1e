import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// The `dead_letters` document of a record, field names as contract §6 gives them.
enum DeadLetterDocument {
    /// When `status` was last written: by a failure (`dead`), `markReplayed` or `discard`.
    /// The "last change" that `purge(olderThan:)` measures age by.
    static let statusChangedAt = "status_changed_at"

    /// The fields a new failure of the same message overwrites.
    static func mutableFields(of failure: DeadLetterFailure, now: Int64) -> BSONDocument {
        [
            "event_id": failure.eventID.map(BSONValue.string) ?? .null,
            "event_type": failure.eventType.map(BSONValue.string) ?? .null,
            "reason": .string(failure.reason.rawValue),
            "detail": .string(failure.detail),
            "queue": .string(failure.queue),
            "routing_key": .string(failure.routingKey),
            "headers": .document(failure.headers),
            "content_type": failure.contentType.map(BSONValue.string) ?? .null,
            "traceparent": failure.trace.map { .string($0.traceParent) } ?? .null,
            "tracestate": failure.trace?.traceState.map(BSONValue.string) ?? .null,
            "last_failed_at": .date(millisecondsSinceEpoch: now),
            "status": .string(DeadLetterStatus.dead.rawValue),
            statusChangedAt: .date(millisecondsSinceEpoch: now),
        ]
    }

    /// The record a document holds, with `body` (read separately, it may be in pieces).
    static func deadLetter(from document: BSONDocument, body: [UInt8]) throws -> DeadLetter {
        guard let id = document.string("_id"),
              let reason = document.string("reason").flatMap(DeadLetterReason.init(rawValue:)),
              let status = document.string("status").flatMap(DeadLetterStatus.init(rawValue:)) else {
            throw StorageRejection(.constraintViolation, "a dead_letters document lacks _id, reason or status")
        }
        let failure = DeadLetterFailure(
            eventID: document.string("event_id"), eventType: document.string("event_type"), reason: reason,
            detail: document.string("detail") ?? "", queue: document.string("queue") ?? "",
            routingKey: document.string("routing_key") ?? "", body: body, headers: document.document("headers") ?? [:],
            contentType: document.string("content_type"),
            trace: document.string("traceparent").map { TraceAttributes(traceParent: $0, traceState: document.string("tracestate")) })
        return DeadLetter(
            id: id, failure: failure,
            firstFailedAt: document.date("first_failed_at") ?? 0, lastFailedAt: document.date("last_failed_at") ?? 0,
            attempts: document.int("attempts") ?? 0, status: status, replayedAt: document.date("replayed_at"))
    }
}
