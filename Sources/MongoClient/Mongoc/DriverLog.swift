import CMongoC
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// libmongoc's own log messages (connection monitoring, warnings about ignored options...).
///
/// libmongoc would print them all to stdout/stderr itself; this module routes them to one
/// handler instead. The default handler writes warnings, criticals and errors to stderr and
/// drops the rest. `main` can install a handler that forwards to its logger.
public enum MongoDriverLog {
    /// libmongoc's log levels, most severe first.
    public enum Level: Int, Sendable, Comparable {
        case error = 0, critical, warning, message, info, debug, trace

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Receives one message; called on libmongoc's threads, so it must be thread-safe.
    public typealias Handler = @Sendable (_ level: Level, _ domain: String, _ message: String) -> Void

    /// The default: `warning` and more severe go to stderr, the rest are dropped.
    public static let standardErrorHandler: Handler = { level, domain, message in
        guard level <= .warning else { return }
        var line = "mongoc[\(domain)] \(level): \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }  // one write: lines do not interleave
    }

    /// Replaces the handler for every pool in the process.
    public static func setHandler(_ handler: @escaping Handler) {
        LibMongoc.initialize()
        sink.set(handler)
    }

    static let sink = LogSink(standardErrorHandler)

    /// Installs the forwarding C callback; called once by `LibMongoc.initialize`.
    static func install() {
        mongoc_log_set_handler({ level, domain, message, _ in
            let swiftLevel = Level(rawValue: Int(level.rawValue)) ?? .trace
            let domainText = domain.map { String(cString: $0) } ?? ""
            let messageText = message.map { String(cString: $0) } ?? ""
            MongoDriverLog.sink.emit(swiftLevel, domainText, messageText)
        }, nil)
    }
}

/// The current handler, behind a lock (libmongoc logs from its monitoring threads).
final class LogSink: Sendable {
    private let handler: Mutex<MongoDriverLog.Handler>

    init(_ handler: @escaping MongoDriverLog.Handler) { self.handler = Mutex(handler) }

    func set(_ newHandler: @escaping MongoDriverLog.Handler) { handler.withLock { $0 = newHandler } }

    func emit(_ level: MongoDriverLog.Level, _ domain: String, _ message: String) {
        let current = handler.withLock { $0 }
        current(level, domain, message)
    }
}
