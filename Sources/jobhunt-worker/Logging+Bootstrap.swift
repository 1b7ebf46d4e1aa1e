import Foundation
import Logging

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
        return Logger(label: label)
    }
}
