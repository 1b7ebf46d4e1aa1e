/// JSON bodies of events for the handler tests, built as text the way producers send them.
enum EventFixtures {
    static func jobPosted(
        id: String, time: String, externalID: String = "job-1", title: String = "Engineer",
        isActive: Bool? = nil
    ) -> [UInt8] {
        let active = isActive.map { #","is_active":\#($0)"# } ?? ""
        return Array("""
            {"specversion":"1.0","id":"\(id)","source":"test","type":"JobPosted","time":"\(time)",\
            "data":{"external_id":"\(externalID)","title":"\(title)","company":"Acme"\(active)}}
            """.utf8)
    }
}

extension EventFixtures {
    static let userA = "64b7f0c2a1b2c3d4e5f60718"
    static let userB = "64b7f0c2a1b2c3d4e5f60719"

    static func matchComputed(
        id: String, time: String, user: String = userA, jobExternalID: String = "job-1",
        score: Double = 0.8, skillsMissing: [String] = [], isActive: Bool = true
    ) -> [UInt8] {
        let skills = skillsMissing.map { "\"\($0)\"" }.joined(separator: ",")
        return Array("""
            {"specversion":"1.0","id":"\(id)","source":"ml","type":"MatchComputed","time":"\(time)",\
            "data":{"user_id":"\(user)","job_external_id":"\(jobExternalID)","relevancy_score":\(score),\
            "match_details":{"skills_missing":[\(skills)]},"is_active":\(isActive)}}
            """.utf8)
    }

    static func interaction(id: String, time: String = "2026-01-01T00:00:00Z", user: String = userA, jobExternalID: String = "job-1", type: String) -> [UInt8] {
        Array("""
            {"specversion":"1.0","id":"\(id)","source":"app","type":"InteractionRecorded","time":"\(time)",\
            "data":{"user_id":"\(user)","job_external_id":"\(jobExternalID)","interaction_type":"\(type)"}}
            """.utf8)
    }
}
