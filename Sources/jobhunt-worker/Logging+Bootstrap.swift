import Foundation
import Logging
import MongoClient

/// The process's logging: one line per entry on standard error, level from JOBHUNT_LOG_LEVEL
/// (trace, debug, info, notice, warning, error, critical; default info). Only `main` calls this.
enum LoggingBootstrap {
    static func makeLogger(label: String = "jobhunt-worker") -> Logger {
        let level = ProcessInfo.processInfo.environment["JOBHUNT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        forwardDriverLogs(to: Logger(label: "mongoc"))
        return Logger(label: label)
    }

    /// libmongoc's own messages go through swift-log too. A failed abort of a transaction that
    /// the server already aborted is routine (the transaction is retried): debug, not warning.
    private static func forwardDriverLogs(to logger: Logger) {
        MongoDriverLog.setHandler { level, domain, message in
            let swiftLevel: Logger.Level
            switch level {
            case .error, .critical: swiftLevel = .error
            case .warning: swiftLevel = message.hasPrefix("Error in abortTransaction") ? .debug : .warning
            case .message, .info: swiftLevel = .info
            case .debug, .trace: swiftLevel = .trace
            }
            logger.log(level: swiftLevel, "\(message)", metadata: ["mongoc.domain": "\(domain)"])
        }
    }
}
