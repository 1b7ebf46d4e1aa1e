import Foundation
import JobHuntWorker
import Testing

/// Contract §1: `AMQP_URL` and `MONGODB_URI` may be given as `<NAME>_FILE`, the path of a file
/// holding the value. Whitespace around the value is dropped; `X` and `X_FILE` together, an
/// unreadable or an empty file are errors naming the variables or the path, never the contents.
@Suite struct SecretFileTests {
    /// A fresh directory of its own, removed by `removeDirectory()`.
    private let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("secret-files-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    private func file(_ name: String, _ contents: String) throws -> String {
        try file(name, Data(contents.utf8))
    }

    private func file(_ name: String, _ contents: Data) throws -> String {
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    private func removeDirectory() { try? FileManager.default.removeItem(at: directory) }

    /// The error `environment` gives, as text; records an issue when it gives none.
    private func errorText(_ environment: [String: String]) -> String {
        do {
            let configuration = try WorkerConfiguration(environment: environment)
            Issue.record("accepted \(environment): \(configuration)")
            return ""
        } catch {
            return error.description
        }
    }

    @Test func bothSecretsAreReadFromTheirFilesTrimmed() throws {
        defer { removeDirectory() }
        let environment = [
            "AMQP_URL_FILE": try file("amqp", "amqp://worker:s3cr3t@broker:5671/prod\n"),
            "MONGODB_URI_FILE": try file("mongo", "  mongodb://app:hunter2@db1,db2/?replicaSet=rs0 \r\n\n\t"),
        ]
        let configuration = try WorkerConfiguration(environment: environment)
        #expect(configuration.amqpURL == "amqp://worker:s3cr3t@broker:5671/prod")
        #expect(configuration.mongoURI == "mongodb://app:hunter2@db1,db2/?replicaSet=rs0")
        try configuration.validate()
        #expect(try configuration.brokers().urls.map(\.host) == ["broker"])
        #expect(!configuration.description.contains("s3cr3t") && !configuration.description.contains("hunter2"))
    }

    @Test func aFileWithoutANewlineIsTakenAsItIs() throws {
        defer { removeDirectory() }
        let path = try file("amqp", "amqp://h1,amqp://h2:5673")
        #expect(try WorkerConfiguration(environment: ["AMQP_URL_FILE": path]).amqpURL == "amqp://h1,amqp://h2:5673")
    }

    @Test(arguments: ["AMQP_URL", "MONGODB_URI"])
    func theVariableAndItsFileTogetherAreAnErrorNamingBoth(name: String) throws {
        defer { removeDirectory() }
        let path = try file("secret", "mongodb://app:fromfile-pw@db/\n")
        let text = errorText([name: "amqp://u:fromenv-pw@h/", "\(name)_FILE": path])
        #expect(text.contains("\(name) and \(name)_FILE"), "\(text)")
        #expect(!text.contains("fromfile-pw") && !text.contains("fromenv-pw"))
    }

    @Test func aMissingFileNamesThePathAndTheReason() throws {
        defer { removeDirectory() }
        let path = directory.appendingPathComponent("no-such-file").path
        let text = errorText(["MONGODB_URI_FILE": path])
        #expect(text.contains("MONGODB_URI_FILE"), "\(text)")
        #expect(text.contains(path), "\(text)")
        #expect(text.contains("No such file or directory"), "\(text)")
    }

    @Test func aDirectoryIsNotReadable() throws {
        defer { removeDirectory() }
        let text = errorText(["AMQP_URL_FILE": directory.path])
        #expect(text.contains("AMQP_URL_FILE") && text.contains(directory.path), "\(text)")
        #expect(text.contains("Is a directory"), "\(text)")
    }

    @Test(arguments: ["", "\n", "  \n\t\r\n"])
    func anEmptyFileIsAnError(contents: String) throws {
        defer { removeDirectory() }
        let path = try file("empty", contents)
        let text = errorText(["AMQP_URL_FILE": path])
        #expect(text.contains("AMQP_URL_FILE") && text.contains(path) && text.contains("empty"), "\(text)")
    }

    @Test func anEmptyPathIsAnError() {
        let text = errorText(["MONGODB_URI_FILE": ""])
        #expect(text.contains("MONGODB_URI_FILE is empty"), "\(text)")
    }

    @Test func unreadableContentsNeverAppearInTheError() throws {
        defer { removeDirectory() }
        // Not UTF-8: a secret followed by a stray byte.
        let notUTF8 = try file("latin1", Data("mongodb://app:leak-pw@db/".utf8) + [0xE9, 0x0A])
        let text = errorText(["MONGODB_URI_FILE": notUTF8])
        #expect(text.contains(notUTF8) && text.contains("not UTF-8"), "\(text)")
        #expect(!text.contains("leak-pw"))
        // Over the limit.
        let large = try file("large", String(repeating: "amqp://u:leak-pw@h/,", count: WorkerConfiguration.secretFileLimit / 10))
        let tooLarge = errorText(["AMQP_URL_FILE": large])
        #expect(tooLarge.contains(large) && tooLarge.contains("larger than"), "\(tooLarge)")
        #expect(!tooLarge.contains("leak-pw"))
    }

    @Test func aBadURLFromAFileIsReportedWithoutItsPassword() throws {
        defer { removeDirectory() }
        let path = try file("amqp", "amqp://u:file-pw@h:notaport/%2f\n")
        let configuration = try WorkerConfiguration(environment: ["AMQP_URL_FILE": path])
        #expect {
            try configuration.validate()
        } throws: { error in
            !"\(error)".contains("file-pw")
        }
    }

    @Test func otherVariablesHaveNoFileForm() throws {
        defer { removeDirectory() }
        let path = try file("database", "fromfile\n")
        #expect(try WorkerConfiguration(environment: ["MONGODB_DATABASE_FILE": path]).database == "aijobhunt_db")
    }
}
