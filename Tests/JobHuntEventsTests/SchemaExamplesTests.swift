import Foundation
import JSON
import JobHuntEvents
import Testing

/// Proves that the producers' JSON Schemas (`schemas/`) and the worker's decoder agree:
/// every example under `schemas/examples` is decoded by `EventDecoder` with the outcome its
/// place and name promise, the schemas' limits are `EventLimits`, and (when Python's
/// `jsonschema` is installed) `schemas/check_examples.py` gets the same outcomes from a
/// standard validator. See `schemas/README.md`.
@Suite("JSON Schema examples")
struct SchemaExamplesTests {
    @Test("valid examples decode to their type", arguments: SchemaExample.all.filter(\.isValid))
    func validExampleDecodes(example: SchemaExample) throws {
        let result = decodeResult(try example.bytes())
        switch result {
        case .success(let event):
            #expect(event.metadata.type == example.eventType)
            #expect(event.payload.eventType == example.eventType)
        case .failure(let error):
            Issue.record("\(example.relativePath) was rejected: \(error)")
        }
    }

    @Test("invalid examples are rejected with the reason in their name", arguments: SchemaExample.all.filter { !$0.isValid })
    func invalidExampleIsRejected(example: SchemaExample) throws {
        let expected = try #require(example.expectedReason, "\(example.relativePath): name must start with a reason")
        switch decodeResult(try example.bytes()) {
        case .success:
            Issue.record("\(example.relativePath) decoded, expected \(expected.rawValue)")
        case .failure(let error):
            #expect(error.reason == expected, "\(example.relativePath): \(error)")
        }
    }

    @Test("generated examples too big to commit", arguments: GeneratedExample.all)
    func generatedExample(example: GeneratedExample) {
        switch (decodeResult(example.body), example.expectedReason) {
        case (.success(let event), nil):
            #expect(event.metadata.type == .jobPosted)
        case (.success, let expected?):
            Issue.record("\(example.name) decoded, expected \(expected.rawValue)")
        case (.failure(let error), nil):
            Issue.record("\(example.name) was rejected: \(error)")
        case (.failure(let error), let expected?):
            #expect(error.reason == expected, "\(example.name): \(error)")
        }
    }

    @Test("every example file is where the checker looks and named as it expects")
    func examplesAreWellFormed() throws {
        let files = try SchemaExample.allFiles()
        #expect(files.count == SchemaExample.all.count, "unexpected files: \(files.filter { SchemaExample(relativePath: $0) == nil })")
        for type in EventType.allCases {
            let ofType = SchemaExample.all.filter { $0.eventType == type }
            #expect(ofType.contains { $0.isValid }, "no valid example for \(type)")
            for reason in [DecodingFailureReason.schemaInvalid, .unknownType, .malformed] {
                #expect(ofType.contains { $0.kind == .invalid && $0.expectedReason == reason }, "no \(reason) example for \(type)")
            }
        }
    }

    @Test("the schemas' limits are EventLimits", arguments: SchemaLimit.all)
    func schemaLimitMirrorsEventLimits(limit: SchemaLimit) throws {
        let schema = try SchemaLimit.load(limit.file)
        var value: JSONValue? = schema
        for key in limit.path { value = value?[key] }
        #expect(value == limit.expected, "\(limit.file) \(limit.path.joined(separator: "/")) is \(String(describing: value))")
    }

    @Test(
        "schemas/check_examples.py agrees (Python jsonschema)",
        .enabled(if: PythonChecker.hasJSONSchema, "python3 with the jsonschema library is not installed"))
    func pythonCheckerAgrees() throws {
        let (status, output) = try PythonChecker.run(["schemas/check_examples.py"])
        #expect(status == 0, "check_examples.py failed:\n\(output)")
        #expect(output.contains(", 0 mismatches"), "\(output)")
    }

    @Test(
        "schemas/asyncapi.yaml routes each event as the contract says, and its messages accept exactly the valid examples",
        .enabled(if: PythonChecker.hasJSONSchema && PythonChecker.hasYAML, "python3 with jsonschema and PyYAML is not installed"))
    func asyncAPIDocumentAgrees() throws {
        let (status, output) = try PythonChecker.run(["schemas/check_asyncapi.py"])
        #expect(status == 0, "check_asyncapi.py failed:\n\(output)")
        #expect(output.contains(" examples checked against the messages of asyncapi.yaml, 0 problems"), "\(output)")
    }
}

// MARK: - Example files

/// One file under `schemas/examples/<type>/<kind>/<name>.json`.
struct SchemaExample: Sendable, CustomTestStringConvertible {
    enum Kind: String, Sendable, CaseIterable {
        case valid
        case invalid
        case invalidBeyondSchema = "invalid-beyond-schema"
    }

    /// The path below `schemas/examples`, e.g. "job-posted/valid/minimal.json".
    let relativePath: String
    let eventType: EventType
    let kind: Kind
    /// For the invalid kinds, the reason the file name starts with ("<reason>--<what>.json").
    let expectedReason: DecodingFailureReason?

    var isValid: Bool { kind == .valid }
    var testDescription: String { relativePath }

    static let folders: [String: EventType] = [
        "job-posted": .jobPosted, "match-computed": .matchComputed, "interaction-recorded": .interactionRecorded,
    ]

    /// Nil unless `relativePath` names an example where the checkers expect one.
    init?(relativePath: String) {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let type = Self.folders[parts[0]], let kind = Kind(rawValue: parts[1]),
            parts[2].hasSuffix(".json")
        else { return nil }
        let stem = String(parts[2].dropLast(".json".count))
        var reason: DecodingFailureReason?
        if kind != .valid {
            guard let separator = stem.range(of: "--"),
                let named = DecodingFailureReason(rawValue: String(stem[..<separator.lowerBound]))
            else { return nil }
            reason = named
        }
        self.relativePath = relativePath
        self.eventType = type
        self.kind = kind
        self.expectedReason = reason
    }

    func bytes() throws -> [UInt8] {
        Array(try Data(contentsOf: Self.examplesDirectory.appendingPathComponent(relativePath)))
    }

    /// The repository, found from this file's path (Tests/JobHuntEventsTests/<this file>).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examplesDirectory = repositoryRoot.appendingPathComponent("schemas/examples")

    /// Every regular file below `schemas/examples`, as paths relative to it, sorted.
    static func allFiles() throws -> [String] {
        let root = examplesDirectory.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// Every well-placed example, sorted by path (empty if the folder is missing, which
    /// `examplesAreWellFormed` reports).
    static let all: [SchemaExample] = ((try? allFiles()) ?? []).compactMap(SchemaExample.init(relativePath:))
}

// MARK: - Generated examples

/// Bodies too big to commit; `schemas/check_examples.py` (`generated_cases`) builds the same.
struct GeneratedExample: Sendable, CustomTestStringConvertible {
    let name: String
    let body: [UInt8]
    /// Nil for a valid example.
    let expectedReason: DecodingFailureReason?

    var testDescription: String { name }

    /// A JobPosted event, compact, with `extra` appended to its data (",\"key\":value").
    static func job(_ extra: String = "") -> String {
        #"{"specversion":"1.0","id":"evt-generated","source":"scraper/generated","type":"JobPosted","#
            + #""time":"2026-11-24T10:15:00Z","data":{"external_id":"generated:1","title":"Generated","#
            + #""company":"Generated"\#(extra)}}"#
    }

    /// The minimal event padded with spaces before its last brace to exactly `size` bytes.
    static func padded(to size: Int) -> [UInt8] {
        var body = Array(job().utf8)
        body.removeLast()
        body += [UInt8](repeating: UInt8(ascii: " "), count: size - body.count - 1)
        body.append(UInt8(ascii: "}"))
        return body
    }

    static func numbers(_ literal: String, count: Int) -> String {
        Array(repeating: literal, count: count).joined(separator: ",")
    }

    static let all: [GeneratedExample] = [
        GeneratedExample(
            name: "job-posted/valid/description-100000-characters",
            body: Array(job(#","description":""# + String(repeating: "é", count: 100_000) + #"""#).utf8),
            expectedReason: nil),
        GeneratedExample(
            name: "job-posted/valid/processed-text-100000-characters-and-keyword-vector-65536-numbers",
            body: Array(job(
                #","ml_features":{"processed_text":""# + String(repeating: "p", count: 100_000)
                    + #"","keyword_vector":["# + numbers("0.5", count: 65_536) + "]}").utf8),
            expectedReason: nil),
        GeneratedExample(
            name: "job-posted/valid/body-exactly-1-MiB", body: padded(to: EventLimits.maxBodyBytes), expectedReason: nil),
        GeneratedExample(
            name: "job-posted/invalid/schema_invalid--description-100001-characters",
            body: Array(job(#","description":""# + String(repeating: "é", count: 100_001) + #"""#).utf8),
            expectedReason: .schemaInvalid),
        GeneratedExample(
            name: "job-posted/invalid/schema_invalid--processed-text-100001-characters",
            body: Array(job(#","ml_features":{"processed_text":""# + String(repeating: "p", count: 100_001) + #""}"#).utf8),
            expectedReason: .schemaInvalid),
        GeneratedExample(
            name: "job-posted/invalid/schema_invalid--keyword-vector-65537-numbers",
            body: Array(job(#","ml_features":{"keyword_vector":["# + numbers("1", count: 65_537) + "]}").utf8),
            expectedReason: .schemaInvalid),
        GeneratedExample(
            name: "job-posted/invalid-beyond-schema/malformed--body-1-MiB-plus-1-byte",
            body: padded(to: EventLimits.maxBodyBytes + 1), expectedReason: .malformed),
    ]
}

// MARK: - Schema limits

/// A keyword of a schema file whose value must be the worker's (`EventLimits`, the enums).
struct SchemaLimit: Sendable, CustomTestStringConvertible {
    let file: String
    let path: [String]
    let expected: JSONValue

    var testDescription: String { "\(file) \(path.joined(separator: "/"))" }

    init(_ file: String, _ path: String, _ expected: JSONValue) {
        self.file = file
        self.path = path.split(separator: "/").map(String.init)
        self.expected = expected
    }

    init(_ file: String, _ path: String, _ expected: Int) {
        self.init(file, path, .integer(Int64(expected)))
    }

    /// A number bound; the schema files write whole numbers without a fraction (0, not 0.0).
    init(_ file: String, _ path: String, number: Double) {
        let whole = number.rounded() == number && abs(number) < 1e15
        self.init(file, path, whole ? .integer(Int64(number)) : .double(number))
    }

    init(_ file: String, _ path: String, strings: [String?]) {
        self.init(file, path, .array(strings.map { $0.map(JSONValue.string) ?? .null }))
    }

    static func load(_ file: String) throws -> JSONValue {
        let url = SchemaExample.repositoryRoot.appendingPathComponent("schemas").appendingPathComponent(file)
        return try JSONParser.parse(Array(try Data(contentsOf: url)))
    }

    private static let common = "common.schema.json", envelope = "envelope.schema.json"
    private static let job = "job-posted.schema.json", match = "match-computed.schema.json"
    private static let interaction = "interaction-recorded.schema.json"
    private static let jobData = "$defs/data/properties"

    static let all: [SchemaLimit] = [
        SchemaLimit(envelope, "properties/specversion/const", .string("1.0")),
        SchemaLimit(envelope, "properties/id/minLength", EventLimits.eventIDLength.lowerBound),
        SchemaLimit(envelope, "properties/id/maxLength", EventLimits.eventIDLength.upperBound),
        SchemaLimit(envelope, "properties/source/minLength", EventLimits.sourceLength.lowerBound),
        SchemaLimit(envelope, "properties/source/maxLength", EventLimits.sourceLength.upperBound),
        SchemaLimit(envelope, "properties/type/enum", strings: EventType.allCases.map(\.rawValue)),
        SchemaLimit(job, "properties/type/const", .string(EventType.jobPosted.rawValue)),
        SchemaLimit(match, "properties/type/const", .string(EventType.matchComputed.rawValue)),
        SchemaLimit(interaction, "properties/type/const", .string(EventType.interactionRecorded.rawValue)),
        SchemaLimit(common, "$defs/externalId/minLength", EventLimits.externalIDLength.lowerBound),
        SchemaLimit(common, "$defs/externalId/maxLength", EventLimits.externalIDLength.upperBound),
        SchemaLimit(common, "$defs/skill/minLength", EventLimits.skillLength.lowerBound),
        SchemaLimit(common, "$defs/skill/maxLength", EventLimits.skillLength.upperBound),
        SchemaLimit(common, "$defs/skillList/maxItems", EventLimits.maxSkillCount),
        SchemaLimit(common, "$defs/score/minimum", number: EventLimits.scoreRange.lowerBound),
        SchemaLimit(common, "$defs/score/maximum", number: EventLimits.scoreRange.upperBound),
        SchemaLimit(job, "\(jobData)/title/minLength", EventLimits.titleLength.lowerBound),
        SchemaLimit(job, "\(jobData)/title/maxLength", EventLimits.titleLength.upperBound),
        SchemaLimit(job, "\(jobData)/company/minLength", EventLimits.companyLength.lowerBound),
        SchemaLimit(job, "\(jobData)/company/maxLength", EventLimits.companyLength.upperBound),
        SchemaLimit(job, "\(jobData)/description/maxLength", EventLimits.descriptionLength.upperBound),
        SchemaLimit(job, "\(jobData)/location/maxLength", EventLimits.locationLength.upperBound),
        SchemaLimit(job, "\(jobData)/source_url/maxLength", EventLimits.sourceURLLength.upperBound),
        SchemaLimit(job, "\(jobData)/source_platform/maxLength", EventLimits.sourcePlatformLength.upperBound),
        SchemaLimit(job, "\(jobData)/remote_type/enum", strings: RemoteType.allCases.map(\.rawValue) + [nil]),
        SchemaLimit(job, "$defs/salaryRange/properties/min/minimum", number: EventLimits.minimumSalary),
        SchemaLimit(job, "$defs/salaryRange/properties/max/minimum", number: EventLimits.minimumSalary),
        SchemaLimit(job, "$defs/salaryRange/properties/currency/minLength", EventLimits.currencyLength.lowerBound),
        SchemaLimit(job, "$defs/salaryRange/properties/currency/maxLength", EventLimits.currencyLength.upperBound),
        SchemaLimit(job, "$defs/mlFeatures/properties/processed_text/maxLength", EventLimits.processedTextLength.upperBound),
        SchemaLimit(job, "$defs/mlFeatures/properties/keyword_vector/maxItems", EventLimits.maxKeywordVectorCount),
        SchemaLimit(match, "$defs/data/properties/match_reason/maxLength", EventLimits.matchReasonLength.upperBound),
        SchemaLimit(
            match, "$defs/matchDetails/properties/overall_compatibility/minimum",
            number: EventLimits.scoreRange.lowerBound),
        SchemaLimit(
            match, "$defs/matchDetails/properties/overall_compatibility/maximum",
            number: EventLimits.scoreRange.upperBound),
        SchemaLimit(
            interaction, "$defs/data/properties/interaction_type/enum", strings: InteractionType.allCases.map(\.rawValue)),
    ]
}

// MARK: - Python

/// Runs `python3` from the repository root.
enum PythonChecker {
    static let hasJSONSchema: Bool = (try? run(["-c", "import jsonschema, referencing"]).status) == 0
    static let hasYAML: Bool = (try? run(["-c", "import yaml"]).status) == 0

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = SchemaExample.repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
