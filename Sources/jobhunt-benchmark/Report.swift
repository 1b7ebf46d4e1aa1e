import JSON
import JobHuntWorkload

/// The benchmark's figures: a table for people, one JSON line for scripts.
struct Report {
    let events: Int
    let users: Int
    /// What each user's history holds at the end (the drain's cost grows with it).
    let matchesPerUser: Workload.MatchesPerUser
    let publishRate: Double
    let ceilingA: Double
    let ceilingB: Double
    let combined: Double
    let drainRate: Double
    let ratio: Double
    /// The mixed probe (the workload's proportions).
    let latency: LatencyProbe.Result
    /// The JobPosted-only probe.
    let jobsLatency: LatencyProbe.Result
    let peakRSSMegabytes: Double
    let cpuSecondsPer1k: Double
    let correctness: String

    func print() {
        let rows: [(String, String)] = [
            ("events in backlog", "\(events)"),
            ("users", "\(users)"),
            ("matches per user: mean (min-max)", String(format: "%.1f (%d-%d)", matchesPerUser.mean, matchesPerUser.min, matchesPerUser.max)),
            ("publish rate (confirms, window 1000)", format(publishRate) + " msg/s"),
            ("ceiling A: consume + ack, no writes", format(ceilingA) + " msg/s"),
            ("ceiling B: final state as bulk inserts", format(ceilingB) + " events/s"),
            ("combined ceiling 1/(1/A+1/B)", format(combined) + " events/s"),
            ("worker drain rate", format(drainRate) + " events/s"),
            ("drain / combined ceiling", String(format: "%.3f", ratio)),
            ("latency probe, mixed: rate achieved", format(latency.achievedRate) + " events/s"),
            ("publish-to-commit p50, mixed", String(format: "%.1f ms", latency.p50Milliseconds)),
            ("publish-to-commit p99, mixed", String(format: "%.1f ms", latency.p99Milliseconds)),
            ("latency probe, JobPosted only: rate", format(jobsLatency.achievedRate) + " events/s"),
            ("publish-to-commit p50, JobPosted only", String(format: "%.1f ms", jobsLatency.p50Milliseconds)),
            ("publish-to-commit p99, JobPosted only", String(format: "%.1f ms", jobsLatency.p99Milliseconds)),
            ("worker peak RSS", String(format: "%.1f MB", peakRSSMegabytes)),
            ("worker CPU per 1k events", String(format: "%.3f s", cpuSecondsPer1k)),
            ("correctness check", correctness),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        for (name, value) in rows { Swift.print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
        let json: JSONValue = .object([
            "events": .integer(Int64(events)), "users": .integer(Int64(users)),
            "matches_per_user": .double((matchesPerUser.mean * 10).rounded() / 10),
            "matches_per_user_min": .integer(Int64(matchesPerUser.min)), "matches_per_user_max": .integer(Int64(matchesPerUser.max)),
            "publish_rate": .double(publishRate.rounded()),
            "ceiling_a": .double(ceilingA.rounded()), "ceiling_b": .double(ceilingB.rounded()), "combined_ceiling": .double(combined.rounded()),
            "drain_rate": .double(drainRate.rounded()), "drain_ratio": .double((ratio * 1000).rounded() / 1000),
            "latency_rate": .double(latency.achievedRate.rounded()), "latency_measured": .integer(Int64(latency.measured)),
            "latency_p50_ms": .double(latency.p50Milliseconds), "latency_p99_ms": .double(latency.p99Milliseconds),
            "jobs_latency_measured": .integer(Int64(jobsLatency.measured)),
            "jobs_latency_p50_ms": .double(jobsLatency.p50Milliseconds), "jobs_latency_p99_ms": .double(jobsLatency.p99Milliseconds),
            "peak_rss_mb": .double((peakRSSMegabytes * 10).rounded() / 10), "cpu_s_per_1k": .double((cpuSecondsPer1k * 1000).rounded() / 1000),
            "correctness": .string(correctness),
        ])
        Swift.print(json.serialized())
    }

    private func format(_ value: Double) -> String { String(format: "%.0f", value) }
}
