import Testing
@testable import AMQPClient

@Suite("AMQPTable and AMQPFieldValue")
struct AMQPTableTests {
    static let everyKind: AMQPTable = [
        "bool": true,
        "int8": .int8(-8), "uint8": .uint8(200), "int16": .int16(-1600), "uint16": .uint16(60000),
        "int32": .int32(-320_000), "uint32": .uint32(4_000_000_000), "int64": .int64(-6_400_000_000),
        "float": .float(1.5), "double": 2.25, "decimal": .decimal(scale: 2, value: 12345),
        "string": "héllo", "bytes": .bytes([0, 1, 2, 254, 255]), "timestamp": .timestamp(1_700_000_000),
        "void": .void, "empty-array": .array([]), "empty-table": .table([:]),
        "array": [1, "two", true, .table(["deep": .array([.timestamp(5), .void])])],
        "table": .table(["inner": "value", "nested": .table(["n": 3])]),
    ]

    @Test("literals pick the expected kinds")
    func literals() {
        let table: AMQPTable = ["s": "x", "i": 20, "b": false, "d": 0.5, "a": ["y", 1]]
        #expect(table["s"] == .string("x"))
        #expect(table["i"] == .int64(20))
        #expect(table["b"] == .bool(false))
        #expect(table["d"] == .double(0.5))
        #expect(table["a"] == .array([.string("y"), .int64(1)]))
        #expect(table.keys == ["a", "b", "d", "i", "s"])
    }

    @Test("intValue normalises every integer kind")
    func intValue() {
        let values: [AMQPFieldValue] = [.int8(-1), .uint8(1), .int16(-1), .uint16(1), .int32(-1), .uint32(1), .int64(-1), .uint64(1)]
        #expect(values.map(\.intValue) == [-1, 1, -1, 1, -1, 1, -1, 1])
        #expect(AMQPFieldValue.uint64(.max).intValue == nil)
        #expect(AMQPFieldValue.string("1").intValue == nil)
        #expect(AMQPFieldValue.bytes(Array("ok".utf8)).stringValue == "ok")
        #expect(AMQPFieldValue.bytes([0xFF]).stringValue == nil)
    }

    @Test("every kind survives librabbitmq's wire encoding")
    func wireRoundTrip() throws {
        #expect(try TableWire.roundTrip(Self.everyKind) == Self.everyKind)
    }

    @Test("a long string that is not UTF-8 decodes as bytes; uint64 encodes as int64")
    func conversions() throws {
        #expect(try TableWire.roundTrip(["n": .uint64(7)]) == ["n": .int64(7)])
        #expect(try TableWire.roundTrip(["b": .bytes([0xC3])]) == ["b": .bytes([0xC3])])
    }

    @Test("values that cannot be sent are rejected before anything is sent")
    func invalidArguments() {
        for table: AMQPTable in [["big": .uint64(.max)], [String(repeating: "k", count: 256): 1]] {
            #expect {
                try TableWire.roundTrip(table)
            } throws: { error in
                guard let error = error as? AMQPError, case .invalidArgument = error.kind else { return false }
                return true
            }
        }
    }
}

@Suite("AMQPError")
struct AMQPErrorTests {
    @Test("retriable: network, timeouts, forced closes; not: credentials, topology, misuse")
    func retriable() {
        #expect(AMQPError(.socket, "x").isRetriable)
        #expect(AMQPError(.timeout, "x").isRetriable)
        #expect(AMQPError(.connectionFailed, "x").isRetriable)
        #expect(!AMQPError(.connectionFailed, "x", libraryStatus: -0x0202).isRetriable)
        #expect(!AMQPError(.tlsRefused(alert: 116), "x").isRetriable)
        #expect(AMQPError(.connectionClosed(code: 320, text: "CONNECTION_FORCED"), "x").isRetriable)
        #expect(!AMQPError(.connectionClosed(code: 403, text: "ACCESS_REFUSED"), "x").isRetriable)
        #expect(!AMQPError(.channelClosed(code: 404, text: "NOT_FOUND"), "x").isRetriable)
        #expect(!AMQPError(.channelClosed(code: 406, text: "PRECONDITION_FAILED"), "x").isRetriable)
        #expect(AMQPError(.channelClosed(code: 405, text: "RESOURCE_LOCKED"), "x").isRetriable)
        #expect(AMQPError(.consumerCancelled(consumerTag: "c"), "x").isRetriable)
        #expect(!AMQPError(.invalidURL, "x").isRetriable)
        #expect(!AMQPError(.invalidUsage, "x").isRetriable)
    }

    @Test("description is terse; debugDescription adds status and location")
    func descriptions() {
        let error = AMQPError(.channelClosed(code: 404, text: "NOT_FOUND"), "no exchange", libraryStatus: -9)
        #expect(error.description == "AMQPError(channelClosed 404): no exchange")
        #expect(error.debugDescription.contains("status -9"))
        #expect(error.debugDescription.contains("AMQPTableTests.swift"))
        #expect(error.replyCode == 404)
    }
}
