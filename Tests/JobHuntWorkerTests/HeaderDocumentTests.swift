import AMQPClient
@testable import JobHuntWorker
import JobHuntHandlers
@testable import JobHuntStore
import MongoClient
import Testing

/// AMQP headers to the dead-letter record's document and back, as a replay publishes them.
@Suite struct HeaderDocumentTests {
    let headers: AMQPTable = [
        "trace-id": .string("abc"), "$where": .int64(1), "attempt.note": .int64(7), "100%": .bool(true),
        "bytes": .bytes([0, 1, 2]), "x-death": .array([.table(["queue": .string("t.jobs"), "count": .int64(3)])]),
    ]

    @Test func keysMongoDBWouldMisreadAreEscapedInTheDocument() {
        let document = HeaderDocument.document(from: headers)
        #expect(document["trace-id"] == .string("abc"))
        #expect(document["%24where"] == .int64(1))
        #expect(document["attempt%2Enote"] == .int64(7))
        #expect(document["100%25"] == .bool(true))
        #expect(document["$where"] == nil)
    }

    @Test func aRecordGivesBackTheHeadersItWasRecordedWith() {
        let failure = DeadLetterFailure(
            eventID: nil, eventType: nil, reason: .malformed, detail: "", queue: "t.jobs", routingKey: "job.posted",
            body: [1], headers: HeaderDocument.document(from: headers), contentType: nil)
        let record = DeadLetter(id: "x", failure: failure, firstFailedAt: 0, lastFailedAt: 0, attempts: 1, status: .dead, replayedAt: nil)
        #expect(record.amqpHeaders == headers)
    }
}
