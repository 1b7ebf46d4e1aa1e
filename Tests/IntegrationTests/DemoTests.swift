import Foundation
import JobHuntTesting
import Testing

/// The README's first command as a newcomer runs it (the worker already built, its own names
/// and database): it shows every effect of the example events, the dead letter, and the metrics.
@Suite(.enabled(if: serversAvailable && ChildProgram.deployScript("demo.sh") != nil), .timeLimit(.minutes(3)))
struct DemoTests {
    @Test func theDemoShowsEveryEffectOfTheExampleEvents() throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        var environment = bed.environment
        let port = TestPorts.single()
        defer { TestPorts.release(port) }
        environment["JOBHUNT_HTTP_ADDR"] = "127.0.0.1:\(port)"
        let output = try ChildProgram.run("/bin/bash", [ChildProgram.deployScript("demo.sh")!, "--no-wait"], environment: environment)
        // What it printed: the user's stats, the dead letter, readiness and the counters.
        #expect(output.contains(#""jobs_viewed" : 2, "jobs_saved" : 1, "top_missing_skill" : "Kubernetes""#), "\(output)")
        #expect(output.contains("duplicate_interaction  InteractionRecorded  dead"), "\(output)")
        #expect(output.contains(#"/readyz: {"status":"ready"}"#), "\(output)")
        #expect(output.contains(#"jobhunt_events_total{type="InteractionRecorded",outcome="applied"} 3"#), "\(output)")
        #expect(output.contains("worker drained and exited 0"), "\(output)")
        // What it made.
        #expect(try bed.database.collection("jobs").countDocuments() == 3)
        #expect(try bed.database.collection("job_matches").countDocuments() == 2)
        #expect(try bed.database.collection("user_job_interactions").countDocuments() == 3)
    }
}
