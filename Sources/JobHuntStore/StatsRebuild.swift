import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// `stats rebuild`: recomputes `user_stats` from the source collections, for every user or one.
public struct StatsRebuild {
    /// One user's stored stats against what the source collections say.
    public struct Comparison: Sendable, Hashable {
        /// The user.
        public let userID: ObjectIDHex
        /// What `user_stats` shows; nil when there is no document.
        public let stored: UserStats?
        /// The counts the worker keeps there; nil when there are none.
        public let storedCounts: StatsCounts?
        /// What it should hold.
        public let computed: StatsCounts

        /// Whether the stored stats or kept counts differ from the computed ones. A missing
        /// document is drift only when the user has something to count; kept counts that are
        /// missing are drift too, since the worker then reads the user's history once.
        public var hasDrift: Bool {
            guard let stored else { return computed != StatsCounts() }
            return stored != computed.stats || storedCounts != computed
        }
    }

    private let database: MongoDatabase

    /// A rebuild over `database`.
    public init(database: MongoDatabase) {
        self.database = database
    }

    /// Compares (and unless `check`, rewrites) the stats and kept counts of `user`, or of every user in
    /// `users` and every user that has a stats document. Each rewrite recomputes and writes in
    /// one transaction, so it is exact even while workers run. Calls `report` per user.
    public func run(user: ObjectIDHex?, check: Bool, report: (Comparison) -> Void) throws {
        let calculator = StatsCalculator(database: database)
        for id in try userIDs(only: user) {
            let comparison: Comparison
            if check {
                comparison = try compare(id, calculator: calculator, session: nil)
            } else {
                comparison = try database.pool.withSession { session in
                    try session.withTransaction(timeLimit: MongoSession.storeTransactionTimeLimit) {
                        let comparison = try compare(id, calculator: calculator, session: session)
                        if comparison.hasDrift {
                            try database.collection(CollectionName.userStats).updateOne(
                                filter: ["user_id": .objectID(ObjectID(id))],
                                update: ["$set": .document(StatsDocument.fields(comparison.computed))],
                                upsert: true, session: session)
                        }
                        return comparison
                    }
                }
            }
            report(comparison)
        }
    }

    private func compare(_ user: ObjectIDHex, calculator: StatsCalculator, session: MongoSession?) throws -> Comparison {
        let computed = try calculator.counts(of: [ObjectID(user)], session: session)[ObjectID(user)] ?? StatsCounts()
        let document = try database.collection(CollectionName.userStats)
            .findOne(filter: ["user_id": .objectID(ObjectID(user))], session: session)
        return Comparison(
            userID: user, stored: document.map(StatsDocument.stats(of:)), storedCounts: document.flatMap(StatsDocument.counts(of:)),
            computed: computed)
    }

    private func userIDs(only user: ObjectIDHex?) throws -> [ObjectIDHex] {
        if let user { return [user] }
        var ids = Set<ObjectID>()
        var ordered: [ObjectID] = []
        func add(_ id: ObjectID?) {
            if let id, ids.insert(id).inserted { ordered.append(id) }
        }
        try database.collection(CollectionName.users).find(options: FindOptions(projection: ["_id": 1])) { add($0.objectID("_id")) }
        try database.collection(CollectionName.userStats).find(options: FindOptions(projection: ["user_id": 1])) { add($0.objectID("user_id")) }
        return ordered.map(ObjectIDHex.init)
    }
}
