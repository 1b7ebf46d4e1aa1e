/// JobPosted bodies for the integration tests: every field of the contract, as producers send them.
enum JobEvents {
    static func full(id: String, time: String, externalID: String, title: String = "Research Scientist", isActive: Bool = true) -> [UInt8] {
        Array("""
            {"specversion":"1.0","id":"\(id)","source":"scraper/test","type":"JobPosted","time":"\(time)",\
            "datacontenttype":"application/json","data":{"external_id":"\(externalID)","title":"\(title)",\
            "company":"OpenAI Labs","description":"Research.","location":"San Francisco","remote_type":"hybrid",\
            "skills_required":["Statistics","Python"],"posted_date":"2026-11-24T09:00:00.250Z",\
            "source_url":"https://example.com/job/123","source_platform":"LinkedIn",\
            "salary_range":{"min":140000,"max":200000.5,"currency":"USD"},\
            "ml_features":{"processed_text":"research python","keyword_vector":[0.1,0.5,1]},"is_active":\(isActive)}}
            """.utf8)
    }
}
