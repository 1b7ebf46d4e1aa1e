import JobHuntEvents
import Testing

@Suite("Object keys MongoDB would misread")
struct ForbiddenKeyTests {
    private static let match = #""user_id":"64b7f0c2a1b2c3d4e5f60718","job_external_id":"j","relevancy_score":0.5"#

    @Test(arguments: [
        (#"{"$set":{"x":1},"external_id":"j","title":"t","company":"c"}"#, "data has an object key that starts with '$'"),
        (#"{"a.b":1,"external_id":"j","title":"t","company":"c"}"#, "data has an object key that contains '.'"),
        (#"{"a\u0000b":1,"external_id":"j","title":"t","company":"c"}"#, "data has an object key that contains NUL"),
        (#"{"external_id":"j","title":"t","company":"c","salary_range":{"$gt":1}}"#, "data.salary_range has an object key that starts with '$'"),
        (#"{"external_id":"j","title":"t","company":"c","unknown":[{"ok":[{"x.y":1}]}]}"#, "data.unknown has an object key that contains '.'"),
    ])
    func jobPostedKeysAreChecked(data: String, detail: String) {
        #expect(summary(dataError(data, type: "JobPosted")) == "schema_invalid: \(detail)")
    }

    @Test(arguments: [
        (#"{"preferences_at_match":{"$where":"1"}}"#, "starts with '$'"),
        (#"{"preferences_at_match":{"a":{"b":{"$c":1}}}}"#, "starts with '$'"),
        (#"{"credentials_at_match":{"degree.level":"MSc"}}"#, "contains '.'"),
        (#"{"credentials_at_match":{"list":[{"k\u0000":1}]}}"#, "contains NUL"),
    ])
    func userSnapshotKeysAreCheckedRecursively(snapshot: String, problem: String) {
        let data = "{\(Self.match),\"user_snapshot\":\(snapshot)}"
        #expect(summary(dataError(data, type: "MatchComputed")) == "schema_invalid: data.user_snapshot has an object key that \(problem)")
    }

    @Test func dollarInsideAKeyAndDotsInValuesAreAllowed() throws {
        let data = "{\(Self.match),\"user_snapshot\":{\"preferences_at_match\":{\"price$\":\"a.b\",\"x\":\"$1\"}}}"
        #expect(dataError(data, type: "MatchComputed") == nil)
    }

    @Test func offendingKeyIsNeverEchoed() {
        let data = #"{"external_id":"j","title":"t","company":"c","Weird-Key!":{"$secret_operator":1}}"#
        let error = dataError(data, type: "JobPosted")
        #expect(summary(error) == "schema_invalid: data has an object key that starts with '$'")
        #expect(error?.description.contains("secret") == false)
    }
}
