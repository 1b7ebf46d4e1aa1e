import Foundation
import JobHuntTesting
import Testing

/// Contract §7 on the real binary: `/metrics` counts what was published, `/readyz` follows the
/// broker going away and coming back, and so does `jobhunt_consumer_up`. A private broker, so
/// that stopping it disturbs no other test.
@Suite(.enabled(if: serversAvailable && PrivateBroker.available), .timeLimit(.minutes(4)))
struct OperationsEndpointTests {
    @Test func metricsCountWhatWasPublishedAndReadinessFollowsTheBroker() async throws {
        let broker = PrivateBroker()
        defer { broker.remove() }
        try await onOwnThread { try broker.start() }
        let bed = try TestBed(amqpURL: broker.amqpURL)
        defer { bed.tearDown() }
        try bed.setUp()
        let endpoints = try EndpointWorker(bed: bed)
        let worker = endpoints.process, port = endpoints.port
        // A real Prometheus scraping the worker, when one is installed: it must read the same.
        let prometheus = RealPrometheus.available ? try RealPrometheus(scraping: port) : nil
        try await worker.waitUntilConsuming()

        // Three new jobs, one of them sent twice, and a body that is not JSON.
        let jobs = (1...3).map { TestEvents.jobPosted(id: "job-event-\($0)", externalID: "job-\($0)").body }
        try bed.publish(jobs + [jobs[0]])
        try bed.publish([Array("not json".utf8)])
        func metrics() -> String { OperationsClient.get("/metrics", port: port)?.body ?? "" }
        try await waitUntil(timeout: .seconds(30)) {
            OperationsClient.value("jobhunt_events_total", ["type": "JobPosted", "outcome": "unchanged"], in: metrics()) == 1
                && OperationsClient.value("jobhunt_events_total", ["type": "unknown", "outcome": "dead_lettered"], in: metrics()) == 1
        }
        let text = metrics()
        #expect(OperationsClient.value("jobhunt_events_total", ["type": "JobPosted", "outcome": "applied"], in: text) == 3)
        #expect(OperationsClient.samples("jobhunt_dead_letters_total", in: text).map(\.value) == [1])
        #expect(OperationsClient.value("jobhunt_event_age_seconds_count", ["type": "JobPosted"], in: text) == 4)
        #expect(OperationsClient.samples("jobhunt_batch_duration_seconds_count", in: text).reduce(0) { $0 + $1.value } >= 1)
        let up = OperationsClient.samples("jobhunt_consumer_up", in: text)
        #expect(up.count == bed.topology.workQueues.count + 1)
        #expect(up.allSatisfy { $0.value == 1 })
        #expect(!text.contains("job-event-1") && !text.contains("guest"))
        #expect(OperationsClient.get("/readyz", port: port)?.status == 200)
        #expect(OperationsClient.get("/livez", port: port)?.status == 200)
        if let prometheus {
            try await waitUntil(timeout: .seconds(30), every: .milliseconds(500)) {
                prometheus.value(#"sum(jobhunt_events_total{outcome="applied"})"#) == "3"
                    && prometheus.value("min(jobhunt_consumer_up)") == "1"
            }
        }

        try await onOwnThread { try broker.stop() }
        try await waitUntil(timeout: .seconds(30)) { OperationsClient.get("/readyz", port: port)?.status == 503 }
        let notReady = try #require(OperationsClient.get("/readyz", port: port))
        #expect(notReady.body.contains("\"missing\":[") && notReady.body.contains("has no open channel"))
        #expect(OperationsClient.samples("jobhunt_consumer_up", in: metrics()).allSatisfy { $0.value == 0 })
        #expect(OperationsClient.get("/livez", port: port)?.status == 200)
        if let prometheus {
            try await waitUntil(timeout: .seconds(30), every: .milliseconds(500)) { prometheus.value("max(jobhunt_consumer_up)") == "0" }
        }

        try await onOwnThread { try broker.start() }
        try await waitUntil(timeout: .seconds(60)) { OperationsClient.get("/readyz", port: port)?.status == 200 }
        #expect(OperationsClient.samples("jobhunt_consumer_up", in: metrics()).allSatisfy { $0.value == 1 })

        worker.signal(SIGTERM)
        let exit = try await worker.waitForExit()
        #expect(exit.status == 0)
    }
}
