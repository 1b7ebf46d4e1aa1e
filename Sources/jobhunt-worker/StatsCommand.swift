import ArgumentParser
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import MongoClient

/// `jobhunt-worker stats …`: the `user_stats` tools.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Inspect and repair user_stats.", subcommands: [StatsRebuildCommand.self])
}

/// `jobhunt-worker stats rebuild [--user ID] [--check]`.
struct StatsRebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Recompute user_stats from the source collections.",
        discussion: "With --check nothing is written: the drift is printed, and the exit status is 1 if there is any.")

    @Option(name: .customLong("user"), help: "Only this user (ObjectId hex).")
    var user: String?

    @Flag(name: .customLong("check"), help: "Write nothing; print the drift; exit 1 if any.")
    var check = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let user, ObjectIDHex(hex: user) == nil {
            throw ValidationError("--user must be a 24-digit hexadecimal ObjectId")
        }
    }

    func run() async throws {
        let configuration = try connection.configuration()
        let pool = try MongoClientPool(uri: configuration.mongoURI)
        defer { pool.close() }
        var users = 0
        var drifted = 0
        do {
            try StatsRebuild(database: pool.database(configuration.database))
                .run(user: user.flatMap(ObjectIDHex.init(hex:)), check: check) { comparison in
                    users += 1
                    guard comparison.hasDrift else { return }
                    drifted += 1
                    print("\(comparison.userID.hex): stored \(Self.describe(comparison.stored)), computed \(Self.describe(comparison.computed.stats))")
                }
        } catch {
            throw RuntimeFailure("stats rebuild failed: \(error)")
        }
        print(check
            ? "\(drifted) of \(users) users have drifted stats"
            : "\(users) users recomputed, \(drifted) corrected")
        if check && drifted > 0 { throw ExitCode.failure }
    }

    private static func describe(_ stats: UserStats?) -> String {
        guard let stats else { return "(none)" }
        return "viewed=\(stats.jobsViewed) saved=\(stats.jobsSaved) top_missing_skill=\(stats.topMissingSkill ?? "null")"
    }
}
