import JobHuntEvents

extension EventHandler {
    /// Applies `events` as one batch, with the same outcomes (in the same order) as handling
    /// them one by one in that order, in a few round trips:
    ///
    /// 1. JobPosted events as bulk upserts;
    /// 2. one lookup of the users and one of the jobs that matches and interactions reference
    ///    (so a job posted earlier in the batch is found);
    /// 3. matches and interactions, with their users' stats, as one atomic write.
    ///
    /// Events of the same key (external id; user and job; user, job and type) go to successive
    /// rounds, so within a round every write is independent and the later event is applied
    /// after the earlier one, as it would be one by one. Throws `StorageUnavailable` only; the
    /// whole batch may then be handled again (every step is idempotent).
    public func handle(batch events: [Event]) throws(StorageUnavailable) -> [HandlingOutcome] {
        do {
            var outcomes = [HandlingOutcome?](repeating: nil, count: events.count)
            try applyJobs(events, into: &outcomes)
            try applyUserEffects(events, into: &outcomes)
            return outcomes.map { $0 ?? .rejected(.constraintViolation, detail: "the batch left this event without an outcome") }
        } catch let failure as StorageUnavailable {
            throw failure
        } catch {
            // A failure of the batch as a whole that is not the infrastructure's: let each
            // event find its own outcome.
            return try events.map { event throws(StorageUnavailable) in try handle(event) }
        }
    }

    private func applyJobs(_ events: [Event], into outcomes: inout [HandlingOutcome?]) throws {
        let jobs: [(index: Int, key: String, write: JobWrite)] = events.indices.compactMap { index in
            guard case .jobPosted(let job) = events[index].payload else { return nil }
            return (index, job.externalID, JobWrite(job: job, version: EventVersion(of: events[index].metadata)))
        }
        for round in Self.rounds(jobs.map(\.key)) {
            let results = try storage.upsertJobs(round.map { jobs[$0].write })
            for (position, result) in zip(round, results) {
                outcomes[jobs[position].index] = Self.outcome(result, Self.outcome)
            }
        }
    }

    private func applyUserEffects(_ events: [Event], into outcomes: inout [HandlingOutcome?]) throws {
        let references: [(index: Int, user: ObjectIDHex, job: JobReference)] = events.indices.compactMap { index in
            switch events[index].payload {
            case .jobPosted: return nil
            case .matchComputed(let match): return (index, match.userID, match.job)
            case .interactionRecorded(let interaction): return (index, interaction.userID, interaction.job)
            }
        }
        guard !references.isEmpty else { return }
        let users = try storage.existingUsers(among: Set(references.map(\.user)))
        let jobIDs = try storage.jobIDs(for: Set(references.filter { users.contains($0.user) }.map(\.job)))

        var matches: [(index: Int, key: MatchKey, write: MatchWrite)] = []
        var interactions: [(index: Int, key: InteractionKey, write: InteractionWrite)] = []
        for reference in references {
            guard users.contains(reference.user) else {
                outcomes[reference.index] = .retryLater(detail: "user \(reference.user.hex) does not exist")
                continue
            }
            guard let jobID = jobIDs[reference.job] else {
                outcomes[reference.index] = .retryLater(detail: "job (\(reference.job.label)) does not exist")
                continue
            }
            let event = events[reference.index]
            let version = EventVersion(of: event.metadata)
            switch event.payload {
            case .jobPosted:
                break
            case .matchComputed(let match):
                matches.append((reference.index, MatchKey(user: match.userID, job: jobID), MatchWrite(match: match, jobID: jobID, version: version)))
            case .interactionRecorded(let interaction):
                let key = InteractionKey(user: interaction.userID, job: jobID, type: interaction.interactionType)
                interactions.append((reference.index, key, InteractionWrite(interaction: interaction, jobID: jobID, version: version)))
            }
        }
        let matchRounds = Self.rounds(matches.map(\.key))
        let interactionRounds = Self.rounds(interactions.map(\.key))
        for round in 0..<max(matchRounds.count, interactionRounds.count) {
            let matchRound = round < matchRounds.count ? matchRounds[round] : []
            let interactionRound = round < interactionRounds.count ? interactionRounds[round] : []
            let results = try storage.writeUserEffects(
                matches: matchRound.map { matches[$0].write }, interactions: interactionRound.map { interactions[$0].write })
            for (position, result) in zip(matchRound, results.matches) {
                outcomes[matches[position].index] = Self.outcome(result, Self.outcome)
            }
            for (position, result) in zip(interactionRound, results.interactions) {
                let interaction = interactions[position].write.interaction
                outcomes[interactions[position].index] = Self.outcome(result) { Self.outcome($0, interaction) }
            }
        }
    }

    private struct MatchKey: Hashable { let user: ObjectIDHex, job: ObjectIDHex }
    private struct InteractionKey: Hashable { let user: ObjectIDHex, job: ObjectIDHex, type: InteractionType }

    /// Positions of `keys` grouped into rounds: round n holds the (n+1)-th occurrence of each
    /// key, in order; most batches have a single round.
    static func rounds<Key: Hashable>(_ keys: [Key]) -> [[Int]] {
        var seen: [Key: Int] = [:]
        var rounds: [[Int]] = []
        for (position, key) in keys.enumerated() {
            let round = seen[key, default: 0]
            seen[key] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(position)
        }
        return rounds
    }

    private static func outcome<T>(_ result: BatchItemResult<T>, _ success: (T) -> HandlingOutcome) -> HandlingOutcome {
        switch result {
        case .success(let value): return success(value)
        case .failure(let rejection): return .rejected(rejection.reason, detail: rejection.description)
        }
    }
}
