/// One consumer's line on the `HealthBoard`: what its reader and writer threads report through.
/// `.none` reports nowhere (tests of the pipeline that do not look at health).
struct ConsumerHealth: Sendable {
    let board: HealthBoard?
    let name: String

    static let none = ConsumerHealth(board: nil, name: "")

    /// Consumer `name` of `queue` on `board`, registered (not connected) at once.
    init(board: HealthBoard, name: String, queue: String) {
        self.board = board
        self.name = name
        board.register(consumer: name, queue: queue)
    }

    private init(board: HealthBoard?, name: String) {
        self.board = board
        self.name = name
    }

    func channel(open: Bool) { board?.channel(of: name, open: open) }
    func readerProgress() { board?.readerProgress(name) }
    func writerProgress() { board?.writerProgress(name) }
    func writerIdle() { board?.writerIdle(name) }
    func databaseAnswered() { board?.databaseAnswered() }
}
