import Synchronization
import Testing

@testable import JobHuntWorker

/// The readiness and liveness rules of contract §7, with times chosen by the test.
@Suite struct HealthBoardTests {
    let start = ContinuousClock.now
    let limits = HealthBoard.Limits(stallLimit: .seconds(60), databaseFreshness: .seconds(15))

    /// A board with consumers `a-1` (queue a) and `b-1` (queue b), and what it said of each queue.
    func board() -> (HealthBoard, QueueVerdicts) {
        let up = QueueVerdicts()
        let board = HealthBoard(limits: limits) { queue, isUp in up.map.withLock { $0[queue] = isUp } }
        board.register(consumer: "a-1", queue: "a", now: start)
        board.register(consumer: "b-1", queue: "b", now: start)
        return (board, up)
    }

    @Test func readyOnlyWithEveryChannelOpenAndARecentDatabaseAnswer() {
        let (board, _) = board()
        #expect(board.readiness(now: start).problems == [
            "consumer a-1 has no open channel", "consumer b-1 has no open channel", "MongoDB has not answered yet",
        ])
        board.channel(of: "a-1", open: true, now: start)
        board.channel(of: "b-1", open: true, now: start)
        #expect(board.readiness(now: start).problems == ["MongoDB has not answered yet"])
        board.databaseAnswered(now: start)
        #expect(board.readiness(now: start + .seconds(15)).ok)
    }

    @Test func readinessFallsWhenAChannelIsLostAndComesBack() {
        let (board, up) = board()
        board.databaseAnswered(now: start)
        board.channel(of: "a-1", open: true, now: start)
        board.channel(of: "b-1", open: true, now: start)
        #expect(up.value == ["a": true, "b": true])
        board.channel(of: "b-1", open: false, now: start)
        #expect(board.readiness(now: start) == .init(ok: false, problems: ["consumer b-1 has no open channel"]))
        #expect(up.value == ["a": true, "b": false])
        board.channel(of: "b-1", open: true, now: start)
        #expect(board.readiness(now: start).ok)
        #expect(up.value == ["a": true, "b": true])
    }

    @Test func aQueueIsUpOnlyWhenAllItsConsumersAre() {
        let (board, up) = board()
        board.register(consumer: "a-2", queue: "a", now: start)
        board.channel(of: "a-1", open: true, now: start)
        #expect(up.value["a"] == false)
        board.channel(of: "a-2", open: true, now: start)
        #expect(up.value["a"] == true)
    }

    @Test func readinessFallsWhenMongoDBStopsAnsweringAndComesBack() {
        let (board, _) = board()
        board.channel(of: "a-1", open: true, now: start)
        board.channel(of: "b-1", open: true, now: start)
        board.databaseAnswered(now: start)
        #expect(board.readiness(now: start + .seconds(16)).problems == ["MongoDB has not answered for 16 s"])
        board.databaseAnswered(now: start + .seconds(20))
        #expect(board.readiness(now: start + .seconds(21)).ok)
    }

    @Test func noConsumerYetIsNotReady() {
        let board = HealthBoard(limits: limits) { _, _ in }
        board.databaseAnswered(now: start)
        #expect(board.readiness(now: start).problems == ["no consumer started yet"])
    }

    @Test func aReaderWithoutProgressIsStuck() {
        let (board, _) = board()
        board.readerProgress("a-1", now: start + .seconds(50))
        #expect(board.liveness(now: start + .seconds(60)).ok)
        #expect(board.liveness(now: start + .seconds(61)).problems == ["consumer b-1 is stuck"])
        board.readerProgress("b-1", now: start + .seconds(61))
        #expect(board.liveness(now: start + .seconds(61)).ok)
    }

    @Test func onlyABusyWriterCanBeStuck() {
        let (board, _) = board()
        board.writerProgress("a-1", now: start)
        board.readerProgress("a-1", now: start + .seconds(100))
        board.readerProgress("b-1", now: start + .seconds(100))
        #expect(board.liveness(now: start + .seconds(100)).problems == ["the writer of a-1 is stuck"])
        board.writerIdle("a-1")
        #expect(board.liveness(now: start + .seconds(100)).ok)
    }
}

/// What a board said of each queue (`jobhunt_consumer_up`).
final class QueueVerdicts: Sendable {
    let map = Mutex<[String: Bool]>([:])
    var value: [String: Bool] { map.withLock { $0 } }
}
