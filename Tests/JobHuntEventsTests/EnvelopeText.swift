import JSON
import JobHuntEvents
import JobHuntTesting

/// A valid JobPosted envelope, built with `EventEncoder`, held as raw JSON text per attribute
/// so that a test can break any part of it by hand. A nil attribute is left out of the body.
struct EnvelopeText {
    /// What every envelope starts from: id `evt-1`, source `scraper/test`, 2026-11-24T10:15:00Z.
    static let event = TestEvents.fullJobPosted(id: "evt-1", time: "2026-11-24T10:15:00Z", externalID: "job-123")

    var specversion: String?
    var id: String?
    var source: String?
    var type: String?
    var time: String?
    var data: String?
    /// Raw extra members, e.g. `"datacontenttype": "application/json"`.
    var extra: String?

    /// The event's envelope; `type` (a name, quoted here) and `data` (raw JSON) replace its own.
    init(type: String? = nil, data: String? = nil) {
        let envelope = EventEncoder.envelope(of: Self.event)
        func member(_ name: String) -> String? { envelope[name]?.serialized() }
        specversion = member("specversion")
        id = member("id")
        source = member("source")
        self.type = type.map { "\"\($0)\"" } ?? member("type")
        time = member("time")
        self.data = data ?? member("data")
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
