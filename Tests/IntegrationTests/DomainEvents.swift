/// MatchComputed and InteractionRecorded bodies for the integration tests.
enum DomainEvents {
    static func match(
        id: String, time: String, user: String, job: String, byExternalID: Bool = true,
        score: Double = 0.87, skillsMissing: [String] = ["Docker"], isActive: Bool = true
    ) -> [UInt8] {
        let reference = byExternalID ? #""job_external_id":"\#(job)""# : #""job_id":"\#(job)""#
        let missing = skillsMissing.map { "\"\($0)\"" }.joined(separator: ",")
        return Array("""
            {"specversion":"1.0","id":"\(id)","source":"ml/scoring","type":"MatchComputed","time":"\(time)",\
            "data":{"user_id":"\(user)",\(reference),"relevancy_score":\(score),"match_reason":"Strong ML alignment",\
            "match_details":{"skills_matched":["Python","ML"],"skills_missing":[\(missing)],"overall_compatibility":0.9},\
            "user_snapshot":{"preferences_at_match":{"location":"Remote","roles":["ML"]},"credentials_at_match":{"years_experience":3}},\
            "is_active":\(isActive)}}
            """.utf8)
    }

    static func interaction(id: String, time: String = "2026-11-24T12:00:00Z", user: String, job: String, type: String) -> [UInt8] {
        Array("""
            {"specversion":"1.0","id":"\(id)","source":"app","type":"InteractionRecorded","time":"\(time)",\
            "data":{"user_id":"\(user)","job_external_id":"\(job)","interaction_type":"\(type)"}}
            """.utf8)
    }
}
