import JobHuntEvents

/// An envelope written as raw JSON fragments, so tests can break any part of it.
/// A nil attribute is left out of the body.
struct EnvelopeText {
    var specversion: String? = #""1.0""#
    var id: String? = #""evt-1""#
    var source: String? = #""scraper/test""#
    var type: String? = #""JobPosted""#
    var time: String? = #""2026-11-24T10:15:00Z""#
    var data: String? = Fixtures.jobData
    /// Raw extra members, e.g. `"datacontenttype": "application/json"`.
    var extra: String?

    init(type: String = "JobPosted", data: String = Fixtures.jobData) {
        self.type = "\"\(type)\""
        self.data = data
    }

    var text: String {
        let members: [(String, String?)] = [
            ("specversion", specversion), ("id", id), ("source", source),
            ("type", type), ("time", time), ("data", data),
        ]
        var parts = members.compactMap { name, value in value.map { "\"\(name)\":\($0)" } }
        if let extra { parts.append(extra) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    var bytes: [UInt8] { Array(text.utf8) }

    /// Replaces the raw JSON of one attribute by name (nil removes it).
    mutating func set(_ attribute: String, to value: String?) {
        switch attribute {
        case "specversion": specversion = value
        case "id": id = value
        case "source": source = value
        case "type": type = value
        case "time": time = value
        case "data": data = value
        default: preconditionFailure("no attribute \(attribute)")
        }
    }
}

enum Fixtures {
    static let userHex = "64b7f0c2a1b2c3d4e5f60718"
    static let jobHex = "64B7F0C2A1B2C3D4E5F6FFFF"

    static let jobData = #"{"external_id":"job-123","title":"Research Scientist","company":"OpenAI Labs"}"#
    static let matchData = #"{"user_id":"64b7f0c2a1b2c3d4e5f60718","job_external_id":"job-123","relevancy_score":0.87}"#
    static let interactionData = #"{"user_id":"64b7f0c2a1b2c3d4e5f60718","job_id":"64B7F0C2A1B2C3D4E5F6FFFF","interaction_type":"saved"}"#

    /// The data fixture for `type`.
    static func minimalData(for type: EventType) -> String {
        switch type {
        case .jobPosted: jobData
        case .matchComputed: matchData
        case .interactionRecorded: interactionData
        }
    }

    static var user: ObjectIDHex { ObjectIDHex(hex: userHex)! }
    static var job: ObjectIDHex { ObjectIDHex(hex: jobHex)! }
}

/// Decodes, or returns the decoding error; the event on success.
func decodeResult(_ bytes: [UInt8]) -> Result<Event, EventDecodingError> {
    Result { () throws(EventDecodingError) in try EventDecoder.decode(bytes) }
}

/// The error `EventDecoder` reports for `bytes`, or nil if they decode.
func decodeError(_ bytes: [UInt8]) -> EventDecodingError? {
    if case .failure(let error) = decodeResult(bytes) { return error }
    return nil
}

/// The error for the envelope, or nil.
func decodeError(_ envelope: EnvelopeText) -> EventDecodingError? {
    decodeError(envelope.bytes)
}

/// The error for `data` in an envelope of `type`, or nil.
func dataError(_ data: String, type: String) -> EventDecodingError? {
    decodeError(EnvelopeText(type: type, data: data))
}

/// The `(reason, detail)` of an error, for compact expectations.
func summary(_ error: EventDecodingError?) -> String? {
    error.map { "\($0.reason.rawValue): \($0.detail)" }
}
