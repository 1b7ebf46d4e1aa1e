/// Writes compact JSON into a byte array.
struct JSONWriter {
    var output: [UInt8] = []

    init(reservingCapacity capacity: Int = 256) {
        output.reserveCapacity(capacity)
    }

    /// Writes a value. Recurses once per nesting level; parsed values are depth-bounded.
    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: appendASCII("null")
        case .bool(let flag): appendASCII(flag ? "true" : "false")
        case .integer(let integer): writeInteger(integer)
        case .double(let double): writeDouble(double)
        case .string(let string): writeString(string)
        case .array(let elements):
            output.append(ASCII.openBracket)
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(ASCII.comma) }
                write(element)
            }
            output.append(ASCII.closeBracket)
        case .object(let object):
            output.append(ASCII.openBrace)
            for (position, member) in object.members.enumerated() {
                if position > 0 { output.append(ASCII.comma) }
                writeString(member.key)
                output.append(ASCII.colon)
                write(member.value)
            }
            output.append(ASCII.closeBrace)
        }
    }

    /// Writes the exact decimal digits of an integer.
    mutating func writeInteger(_ integer: Int64) {
        if integer < 0 { output.append(ASCII.minus) }
        var magnitude = integer.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                count += 1
                buffer[24 - count] = ASCII.zero + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            output.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// Writes the shortest representation that reads back as the same double.
    /// Non-finite values, which JSON cannot express, are written as `null`.
    mutating func writeDouble(_ double: Double) {
        guard double.isFinite else {
            appendASCII("null")
            return
        }
        // Swift's description is the shortest round-tripping form, and always JSON-valid
        // for finite values ("1.0", "1e-05", "1e+16", "-0.0").
        output.append(contentsOf: double.description.utf8)
    }

    /// Writes a quoted string, escaping `"`, `\` and every control character below 0x20.
    mutating func writeString(_ string: String) {
        output.append(ASCII.quote)
        var string = string
        string.withUTF8 { utf8 in
            var chunkStart = 0
            for (offset, byte) in utf8.enumerated()
            where byte < ASCII.space || byte == ASCII.quote || byte == ASCII.backslash {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[chunkStart..<offset]))
                writeEscape(for: byte)
                chunkStart = offset + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[chunkStart...]))
        }
        output.append(ASCII.quote)
    }

    private mutating func writeEscape(for byte: UInt8) {
        output.append(ASCII.backslash)
        switch byte {
        case ASCII.quote, ASCII.backslash: output.append(byte)
        case ASCII.lineFeed: output.append(ASCII.lowerN)
        case ASCII.carriageReturn: output.append(ASCII.lowerR)
        case ASCII.tab: output.append(ASCII.lowerT)
        case 0x08: output.append(ASCII.lowerB)
        case 0x0C: output.append(ASCII.lowerF)
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            output.append(contentsOf: [ASCII.lowerU, ASCII.zero, ASCII.zero])
            output.append(hexDigits.utf8Start[Int(byte >> 4)])
            output.append(hexDigits.utf8Start[Int(byte & 0x0F)])
        }
    }

    private mutating func appendASCII(_ text: StaticString) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

extension JSONValue {
    /// Compact JSON text for this value: no insignificant whitespace, members in order,
    /// control characters escaped, integers exact, doubles in their shortest round-tripping
    /// form (non-finite doubles, which JSON cannot express, become `null`).
    public func serialized() -> String {
        String(decoding: jsonBytes, as: UTF8.self)
    }

    /// The UTF-8 bytes of `serialized()`.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.output
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value.
    public var description: String { serialized() }
}
