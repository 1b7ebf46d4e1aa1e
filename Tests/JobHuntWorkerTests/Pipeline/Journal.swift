import Synchronization

/// What the fakes did, in order, across the reader and writer threads: tests read the order of
/// writes, records, copies and acks from it.
final class Journal: Sendable {
    private let entries = Mutex<[String]>([])

    func append(_ entry: String) { entries.withLock { $0.append(entry) } }

    var all: [String] { entries.withLock { $0 } }

    /// The entries that start with `prefix`.
    func matching(_ prefix: String) -> [String] { all.filter { $0.hasPrefix(prefix) } }

    /// The position of the first entry equal to `entry`.
    func index(of entry: String) -> Int? { all.firstIndex(of: entry) }
}
