import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// What a `UserLaneRequest` finds in one snapshot, by exact key: the users, the jobs, the
/// matches and interactions of the request's (user, job) pairs, and the users' stats. Only a
/// user without kept counts costs a read of its history (`StatsCalculator`), once.
struct UserLaneRead {
    private(set) var snapshot = UserLaneSnapshot()
    /// The stored match documents (their `_id` and version fields), for replacements.
    private(set) var matchDocuments: [MatchKey: BSONDocument] = [:]
    /// The `_id` of each user's stats document, when there is one.
    private(set) var statsDocumentIDs: [ObjectIDHex: BSONValue] = [:]

    private let database: MongoDatabase
    private let session: MongoSession

    init(_ request: UserLaneRequest, database: MongoDatabase, session: MongoSession) throws {
        self.database = database
        self.session = session
        snapshot.users = try existingUsers(request.users)
        snapshot.jobIDs = try jobIDs(request.jobs)
        try readMatches(request.matches)
        try readInteractions(request.interactions)
        try readStats()
    }

    private func existingUsers(_ users: Set<ObjectIDHex>) throws -> Set<ObjectIDHex> {
        guard !users.isEmpty else { return [] }
        var found = Set<ObjectIDHex>()
        try database.collection(CollectionName.users).find(
            filter: ["_id": ["$in": .array(users.map { .objectID(ObjectID($0)) })]],
            options: .wholeBatch(projection: ["_id": 1]), session: session
        ) { user in
            if let id = user.objectID("_id") { found.insert(ObjectIDHex(id)) }
        }
        return found
    }

    /// At most two finds: one by `_id`, one by `external_id`.
    private func jobIDs(_ references: Set<JobReference>) throws -> [JobReference: ObjectIDHex] {
        var ids: [BSONValue] = []
        var externalIDs: [BSONValue] = []
        for reference in references {
            switch reference {
            case .id(let id): ids.append(.objectID(ObjectID(id)))
            case .externalID(let externalID): externalIDs.append(.string(externalID))
            }
        }
        let jobs = database.collection(CollectionName.jobs)
        let projection: BSONDocument = ["_id": 1, "external_id": 1]
        var found: [JobReference: ObjectIDHex] = [:]
        if !ids.isEmpty {
            try jobs.find(filter: ["_id": ["$in": .array(ids)]], options: .wholeBatch(projection: projection), session: session) { job in
                if let id = job.objectID("_id") { found[.id(ObjectIDHex(id))] = ObjectIDHex(id) }
            }
        }
        if !externalIDs.isEmpty {
            try jobs.find(filter: ["external_id": ["$in": .array(externalIDs)]], options: .wholeBatch(projection: projection), session: session) { job in
                guard let id = job.objectID("_id"), let externalID = job.string("external_id") else { return }
                found[.externalID(externalID)] = ObjectIDHex(id)
            }
        }
        return found
    }

    /// The (user, job) pairs of `references` whose user and job exist, grouped by user.
    private func jobsByUser(_ references: some Sequence<UserJobReference>) -> [ObjectIDHex: Set<ObjectIDHex>] {
        var jobs: [ObjectIDHex: Set<ObjectIDHex>] = [:]
        for reference in references where snapshot.users.contains(reference.user) {
            if let job = snapshot.jobIDs[reference.job] { jobs[reference.user, default: []].insert(job) }
        }
        return jobs
    }

    /// One find: per user, its requested jobs (the finds that use it name their unique index).
    private func byUserAndJob(_ jobs: [ObjectIDHex: Set<ObjectIDHex>], extra: (ObjectIDHex) -> BSONDocument = { _ in [:] }) -> BSONDocument {
        ["$or": .array(jobs.map { user, userJobs in
            let clause: BSONDocument = [
                "user_id": .objectID(ObjectID(user)),
                "job_id": ["$in": .array(userJobs.map { .objectID(ObjectID($0)) })],
            ]
            return .document(clause.appending(extra(user)))
        })]
    }

    private mutating func readMatches(_ references: Set<UserJobReference>) throws {
        let wanted = jobsByUser(references)
        guard !wanted.isEmpty else { return }
        var documents: [MatchKey: BSONDocument] = [:]
        try database.collection(CollectionName.jobMatches).find(
            filter: byUserAndJob(wanted),
            options: .wholeBatch(projection: MatchDocument.storedProjection, hint: IndexCatalog.matchKey),
            session: session
        ) { match in
            guard let user = match.objectID("user_id"), let job = match.objectID("job_id") else { return }
            documents[MatchKey(user: ObjectIDHex(user), job: ObjectIDHex(job))] = match
        }
        matchDocuments = documents
        snapshot.matches = documents.mapValues(MatchDocument.stored)
    }

    private mutating func readInteractions(_ references: [UserJobReference: Set<InteractionType>]) throws {
        let wanted = jobsByUser(references.keys)
        guard !wanted.isEmpty else { return }
        var types: [ObjectIDHex: Set<String>] = [:]
        for (reference, referenceTypes) in references { types[reference.user, default: []].formUnion(referenceTypes.map(\.rawValue)) }
        try database.collection(CollectionName.userJobInteractions).find(
            filter: byUserAndJob(wanted) { user in ["interaction_type": ["$in": .array((types[user] ?? []).map(BSONValue.string))]] },
            options: .wholeBatch(
                projection: ["_id": 0, "user_id": 1, "job_id": 1, "interaction_type": 1, InteractionDocument.eventIDField: 1],
                hint: IndexCatalog.interactionKey),
            session: session
        ) { interaction in
            guard let user = interaction.objectID("user_id"), let job = interaction.objectID("job_id"),
                  let type = interaction.string("interaction_type").flatMap(InteractionType.init(rawValue:))
            else { return }
            let key = InteractionKey(user: ObjectIDHex(user), job: ObjectIDHex(job), type: type)
            snapshot.interactions[key] = .some(interaction.string(InteractionDocument.eventIDField))
        }
    }

    /// The kept counts of the existing users; those without computed from the sources.
    private mutating func readStats() throws {
        guard !snapshot.users.isEmpty else { return }
        var kept: [ObjectIDHex: StatsCounts] = [:]
        try database.collection(CollectionName.userStats).find(
            filter: ["user_id": ["$in": .array(snapshot.users.map { .objectID(ObjectID($0)) })]],
            options: .wholeBatch(projection: StatsDocument.projection), session: session
        ) { document in
            guard let user = document.objectID("user_id").map(ObjectIDHex.init), let id = document["_id"] else { return }
            statsDocumentIDs[user] = id
            if let counts = StatsDocument.counts(of: document) { kept[user] = counts }
        }
        let missing = snapshot.users.filter { kept[$0] == nil }
        let computed = try StatsCalculator(database: database).counts(of: Set(missing.map { ObjectID($0) }), session: session)
        for user in snapshot.users {
            if let counts = kept[user] {
                snapshot.stats[user] = StoredStats(counts: counts, isKept: true)
            } else {
                snapshot.stats[user] = StoredStats(counts: computed[ObjectID(user)] ?? StatsCounts(), isKept: false)
            }
        }
    }
}
