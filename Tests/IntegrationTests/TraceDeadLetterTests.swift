import Foundation
import JobHuntEvents
import JobHuntStore
import JobHuntTesting
import Testing

/// An event's tracing attributes follow it into its dead-letter record and `dlq show`.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct TraceDeadLetterTests {
    @Test func aDeadLetterKeepsTraceparentAndTracestateAndShowPrintsThem() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        // Valid apart from its data, so it is schema_invalid, with the attributes readable.
        let body = Array(#"{"specversion":"1.0","id":"t1","source":"s","type":"JobPosted","time":"2026-11-24T10:00:00Z","traceparent":"\#(parent)","tracestate":"congo=t61rcWkgMzE","data":{"title":"t"}}"#.utf8)
        try bed.publish([body])
        try await bed.withWorker {
            try await waitUntil { try bed.deadLetters().count == 1 }
        }
        let record = try DeadLetterStore(database: bed.database).find(idPrefix: DeadLetter.id(ofBody: body))
        #expect(record.reason == .schemaInvalid)
        #expect(record.trace == TraceAttributes(traceParent: parent, traceState: "congo=t61rcWkgMzE"))

        let show = WorkerProcess(arguments: ["dlq", "show", record.id, "--json"], environment: bed.environment)
        try show.start()
        let (status, output) = try await show.waitForExit()
        #expect(status == 0)
        #expect(output.contains(#""traceparent":"\#(parent)""#))
        #expect(output.contains(#""tracestate":"congo=t61rcWkgMzE""#))
    }
}
