/// A cheap summary of a key for fast rejection in lookups: its UTF-8 length (capped at 255)
/// and its first seven bytes. Keys of at most seven bytes are equal exactly when their
/// digests are; longer keys with equal digests still need a full byte comparison.
struct KeyDigest: Equatable {
    private let bits: UInt64

    /// The digest of the UTF-8 bytes of a key.
    @inline(__always)
    init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let lengthBits = UInt64(Swift.min(bytes.count, 255)) << 56
        guard bytes.count >= 8, let base = bytes.baseAddress else {
            var bits = lengthBits
            for index in 0..<bytes.count {
                bits |= UInt64(bytes[index]) << (8 * index)
            }
            self.bits = bits
            return
        }
        // Little-endian load of the first eight bytes; keep seven.
        let firstBytes = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
        self.bits = lengthBits | (firstBytes & 0x00FF_FFFF_FFFF_FFFF)
    }

    /// The digest of `key`.
    @inline(__always)
    init(of key: String) {
        self = key.withUTF8Bytes { KeyDigest(utf8: $0) }
    }

    /// The digest's bits, for hashing.
    @inline(__always)
    var hashBits: UInt64 { bits }

    /// True when equal digests prove the keys equal (both at most seven bytes long).
    @inline(__always)
    var isComplete: Bool { bits >> 56 <= 7 }
}

extension String {
    /// Code-unit equality, as RFC 8259 §8.3 and MongoDB compare member names; unlike `==`,
    /// canonically equivalent but differently encoded strings are different.
    @inline(__always)
    func hasSameUTF8(as other: String) -> Bool {
        withUTF8Bytes { leftBytes in
            other.withUTF8Bytes { rightBytes in
                bytesEqual(leftBytes, rightBytes)
            }
        }
    }

    /// Calls `body` with the string's UTF-8, without copying native strings.
    @inline(__always)
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}

/// A string key hashed and compared by its UTF-8 code units.
struct UTF8Key: Hashable {
    let string: String

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool {
        lhs.string.hasSameUTF8(as: rhs.string)
    }

    func hash(into hasher: inout Hasher) {
        string.withUTF8Bytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Byte-wise equality of two buffers, eight bytes per step.
@inline(__always)
func bytesEqual(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = left.count
    guard count == right.count else { return false }
    guard count > 0, let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
    let leftRaw = UnsafeRawPointer(leftBase)
    let rightRaw = UnsafeRawPointer(rightBase)
    var offset = 0
    while offset + 8 <= count {
        if leftRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            != rightRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        {
            return false
        }
        offset += 8
    }
    while offset < count {
        if leftBase[offset] != rightBase[offset] { return false }
        offset += 1
    }
    return true
}
