import ArgumentParser

@main
struct JobHuntWorkerCommand: ParsableCommand {
    func run() throws {}
}
