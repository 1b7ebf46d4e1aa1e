import ArgumentParser
import Foundation
import JobHuntWorker

/// `jobhunt-worker publish [FILE]`: validate and publish JSON-lines events with confirms.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Validate and publish events (one JSON object per line) with publisher confirms.",
        discussion: "Reads FILE, or standard input when FILE is '-' or absent. Exits 1 if any line was rejected.")

    @Argument(help: "A JSON-lines file of CloudEvents; '-' or nothing for standard input.")
    var file: String?

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let configuration = try connection.configuration()
        let input: FileHandle
        if let file, file != "-" {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            input = handle
        } else {
            input = FileHandle.standardInput
        }
        let data = input.readDataToEndOfFile()
        let lines = [UInt8](data).split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let results: [EventPublisher.LineResult]
        do {
            let publisher = try EventPublisher(brokers: configuration.brokers(), exchange: configuration.exchange)
            results = try publisher.publish(lines: lines)
        } catch {
            throw RuntimeFailure("publish failed: \(error)")
        }
        let rejected = results.filter { $0.failure != nil }
        for result in rejected {
            let id = result.eventID.map { " (event \($0))" } ?? ""
            FileHandle.standardError.write(Data("line \(result.line)\(id): rejected: \(result.failure ?? "")\n".utf8))
        }
        print("published \(results.count - rejected.count) of \(results.count) events to \(configuration.exchange)")
        if !rejected.isEmpty { throw ExitCode.failure }
    }
}
