import JobHuntEvents

/// Applies decoded events to a `JobHuntStorage`, idempotently.
///
/// - JobPosted: the posting's full state; only a newer version replaces it.
/// - MatchComputed: needs the user and the job; only a newer version replaces the match.
/// - InteractionRecorded: needs the user and the job; the same event again is a no-op, another
///   event with the same (user, job, type) is `duplicate_interaction`.
/// A missing user or job is `retryLater`: events cross queues out of order.
public struct EventHandler: Sendable {
    let storage: any JobHuntStorage

    /// A handler that writes to `storage`.
    public init(storage: any JobHuntStorage) {
        self.storage = storage
    }

    /// Applies `event`. Throws `StorageUnavailable` only; every other failure is an outcome.
    public func handle(_ event: Event) throws(StorageUnavailable) -> HandlingOutcome {
        do {
            let version = EventVersion(of: event.metadata)
            switch event.payload {
            case .jobPosted(let job):
                return Self.outcome(try storage.upsertJob(job, version: version))
            case .matchComputed(let match):
                return try withReferences(user: match.userID, job: match.job) { jobID in
                    Self.outcome(try storage.upsertMatch(match, jobID: jobID, version: version))
                }
            case .interactionRecorded(let interaction):
                return try withReferences(user: interaction.userID, job: interaction.job) { jobID in
                    Self.outcome(try storage.recordInteraction(interaction, jobID: jobID, version: version), interaction)
                }
            }
        } catch let failure as StorageUnavailable {
            throw failure
        } catch let rejection as StorageRejection {
            return .rejected(rejection.reason, detail: rejection.description)
        } catch {
            return .rejected(.constraintViolation, detail: "unexpected storage error: \(error)")
        }
    }

    /// Runs `body` with the job's id once the user and the job both exist.
    private func withReferences(user: ObjectIDHex, job: JobReference, _ body: (ObjectIDHex) throws -> HandlingOutcome) throws -> HandlingOutcome {
        guard try storage.userExists(user) else {
            return .retryLater(detail: "user \(user.hex) does not exist")
        }
        guard let jobID = try storage.jobID(for: job) else {
            return .retryLater(detail: "job (\(job.label)) does not exist")
        }
        return try body(jobID)
    }

    static func outcome(_ result: VersionedWriteResult) -> HandlingOutcome {
        switch result {
        case .written: return .applied
        case .sameVersion: return .unchanged(.duplicateEvent)
        case .newerVersionPresent: return .unchanged(.staleVersion)
        }
    }

    static func outcome(_ result: InteractionWriteResult, _ interaction: InteractionRecorded) -> HandlingOutcome {
        switch result {
        case .recorded: return .applied
        case .sameEvent: return .unchanged(.duplicateEvent)
        case .recordedByAnotherEvent(let eventID):
            return .rejected(.duplicateInteraction, detail: "user \(interaction.userID.hex) already has a \(interaction.interactionType.rawValue) interaction with this job"
                + (eventID.map { " (event \($0))" } ?? ""))
        }
    }
}

extension JobReference {
    /// `job_id <hex>` or `job_external_id <id>`, for messages.
    var label: String {
        switch self {
        case .id(let id): return "job_id \(id.hex)"
        case .externalID(let externalID): return "job_external_id \(externalID)"
        }
    }
}
