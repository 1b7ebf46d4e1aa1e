/// A BSON ObjectId: 12 bytes (a 4-byte big-endian timestamp, 5 random bytes, a 3-byte counter).
public struct ObjectID: Sendable, Hashable, CustomStringConvertible {
    // Bytes 0..<8 and 8..<12, big-endian, so equality and hashing need no allocation.
    private let high: UInt64
    private let low: UInt32

    /// A new, unique ObjectId (libbson's `bson_oid_init`: thread-safe, process-unique counter).
    public init() {
        self.init(validBytes: LibBSON.newObjectIDBytes())
    }

    /// The ObjectId with these 12 bytes; `nil` unless there are exactly 12.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        self.init(validBytes: Array(bytes))
    }

    /// Parses 24 hexadecimal digits (either case); `nil` for anything else.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 24 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(12)
        var index = 0
        while index < 24 {
            guard let hi = Self.nibble(utf8[index]), let lo = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            index += 2
        }
        self.init(validBytes: bytes)
    }

    private init(validBytes bytes: [UInt8]) {
        var high: UInt64 = 0
        for byte in bytes[0..<8] { high = high << 8 | UInt64(byte) }
        var low: UInt32 = 0
        for byte in bytes[8..<12] { low = low << 8 | UInt32(byte) }
        self.high = high
        self.low = low
    }

    /// The 12 bytes.
    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(12)
        for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: low >> UInt32(shift))) }
        return result
    }

    /// 24 lowercase hexadecimal digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(24)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The creation time embedded in the id, in seconds since the epoch.
    public var timestampSeconds: UInt32 { UInt32(truncatingIfNeeded: high >> 32) }

    public var description: String { hex }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return char - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
