import Dispatch
import Foundation
import JobHuntEvents
import Synchronization

/// The user lane's partitions: a batch's matches and interactions split by a hash of their user,
/// so that parts never share a user and their transactions never conflict. The same user is in
/// the same partition in every batch and every consumer, and each partition has a lock: the
/// matches' and the interactions' consumers, which touch the same users' stats, take turns per
/// partition instead of aborting each other's transactions, and different partitions commit at
/// once.
public final class UserPartitions: Sendable {
    /// How many partitions.
    public let count: Int
    private let locks: [PartitionLock]

    /// `count` partitions (4 by default: enough to keep a database on a few cores busy while
    /// one part waits for its commit).
    public init(count: Int = 4) {
        precondition(count > 0, "at least one partition")
        self.count = count
        self.locks = (0..<count).map { _ in PartitionLock() }
    }

    /// The partition of `user`: FNV-1a of its 12 bytes (stable across processes and runs,
    /// unlike Swift's seeded `Hasher`).
    public func partition(of user: ObjectIDHex) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in user.bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }

    /// `positions` grouped by the partition of `user(position)`, in order; empty parts left out.
    func split(_ positions: [Int], user: (Int) -> ObjectIDHex?) -> [(partition: Int, positions: [Int])] {
        var parts = [[Int]](repeating: [], count: count)
        for position in positions {
            parts[user(position).map(partition(of:)) ?? 0].append(position)
        }
        return parts.indices.filter { !parts[$0].isEmpty }.map { ($0, parts[$0]) }
    }

    /// Runs `body` holding the lock of `partition`.
    func withLock<T>(_ partition: Int, _ body: () throws -> T) throws -> T {
        try locks[partition].mutex.withLock { _ in try body() }
    }

    /// `body` of every part, each on a thread of its own (the first on the calling thread), once
    /// all have finished. Parts block on the database, so they get threads rather than a share
    /// of a pool sized to the cores.
    func runConcurrently<T: Sendable>(
        _ parts: [(partition: Int, positions: [Int])], _ body: @escaping @Sendable (Int, [Int]) -> T
    ) -> [T] {
        guard parts.count > 1 else { return parts.map { body($0.partition, $0.positions) } }
        let results = Mutex([T?](repeating: nil, count: parts.count))
        let finished = DispatchGroup()
        for index in parts.indices.dropFirst() {
            let part = parts[index]
            finished.enter()
            Thread.detachNewThread {
                let result = body(part.partition, part.positions)
                results.withLock { $0[index] = result }
                finished.leave()
            }
        }
        let first = body(parts[0].partition, parts[0].positions)
        finished.wait()
        return results.withLock { results in
            results[0] = first
            return results.map { $0! }
        }
    }
}

/// A partition's lock, in a class so that an array can hold it (`Mutex` cannot be copied).
private final class PartitionLock: Sendable {
    let mutex = Mutex(())
}
