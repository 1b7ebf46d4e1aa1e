import ArgumentParser
import JobHuntWorkload

/// The benchmark's workload options; every default is `WorkloadSpec`'s.
struct WorkloadOptions: ParsableArguments {
    @Option(help: "Users in the workload (default: \(WorkloadSpec().users)).") var users: Int?
    @Option(
        name: .customLong("matches-per-user"),
        help: "Instead of --users: as few users as give each about this many matches (e.g. 30: long histories).")
    var matchesPerUser: Int?
    @Option(help: "Distinct jobs JobPosted events may name.") var jobs = WorkloadSpec().jobs
    @Option(help: "Messages in the backlog.") var events = WorkloadSpec().events
    @Option(help: "Workload seed.") var seed = WorkloadSpec().seed

    func validate() throws {
        if users != nil, matchesPerUser != nil { throw ValidationError("give --users or --matches-per-user, not both") }
        for (name, value) in [("users", users), ("matches-per-user", matchesPerUser), ("jobs", jobs), ("events", events)] {
            if let value, value < 1 { throw ValidationError("--\(name) must be at least 1") }
        }
    }

    /// The spec these options describe.
    var spec: WorkloadSpec {
        var spec = WorkloadSpec()
        (spec.jobs, spec.events, spec.seed) = (jobs, events, seed)
        if let users { spec.users = users }
        if let matchesPerUser { spec.setUsers(forMatchesPerUser: matchesPerUser) }
        return spec
    }
}
