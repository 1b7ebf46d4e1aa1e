import ArgumentParser
import JobHuntEvents
import JobHuntStore
import JobHuntWorker

/// `dlq purge --older-than DURATION`: the audit trail of handled dead letters does not grow
/// for ever. Only `replayed` and `discarded` records go, aged by when their status last
/// changed (`status_changed_at`); a `dead` one waits for an operator however old it is.
struct DeadLetterPurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete replayed and discarded dead letters whose status last changed longer ago than DURATION; never dead ones.")

    @Option(name: .customLong("older-than"), help: ArgumentHelp("How long ago their status last changed: 45s, 90m, 12h, 30d.", valueName: "duration"))
    var olderThan: String
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        _ = try age()
    }

    private func age() throws -> Int64 {
        do {
            return try ArgumentValue.duration(olderThan, option: "--older-than")
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let cutoff = Timestamp.now().millisecondsSinceEpoch - (try age())
        let count = try withDeadLetterStore(connection) { _, store in try store.purge(changedBefore: cutoff) }
        print("purged \(count) dead letters (replayed or discarded, status last changed before \(OutputFormat.time(cutoff)))")
    }
}
