/// Strings the parser reuses instead of creating a new `String` for each occurrence: the
/// fixed object keys of a schema. A key found in the table costs a hash probe and a byte
/// comparison instead of UTF-8 validation and (for keys over 15 bytes) an allocation.
/// Lookups compare UTF-8 bytes, so results are exactly what parsing without it gives.
///
/// Build one per schema, once (e.g. in a `static let`): the table is immutable and shared.
public final class JSONKeyTable: Sendable {
    private struct Entry {
        let digest: KeyDigest
        let string: String
        let byteOffset: Int
        let byteCount: Int
    }

    /// Entry index + 1 per slot; 0 is empty. Power-of-two count.
    private let slots: [Int32]
    private let entries: [Entry]
    /// The UTF-8 of every entry, back to back.
    private let bytes: [UInt8]

    /// A table of `keys` (duplicates are ignored).
    public init(_ keys: some Sequence<String>) {
        var entries: [Entry] = []
        var bytes: [UInt8] = []
        for key in keys {
            let utf8 = Array(key.utf8)
            let digest = utf8.withUnsafeBufferPointer { KeyDigest(utf8: $0) }
            let isDuplicate = entries.contains { $0.digest == digest && $0.string.hasSameUTF8(as: key) }
            if isDuplicate { continue }
            entries.append(Entry(digest: digest, string: key, byteOffset: bytes.count, byteCount: utf8.count))
            bytes.append(contentsOf: utf8)
        }
        var capacity = 16
        while capacity < entries.count * 4 { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        for (position, entry) in entries.enumerated() {
            var slot = Self.slot(for: entry.digest, mask: capacity - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(position + 1)
        }
        self.slots = slots
        self.entries = entries
        self.bytes = bytes
    }

    /// The table's string with exactly these UTF-8 bytes, or nil.
    @inline(__always)
    func string(utf8: UnsafeBufferPointer<UInt8>, digest: KeyDigest) -> String? {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                let mask = slots.count - 1
                var slot = Self.slot(for: digest, mask: mask)
                while true {
                    let entryNumber = Int(slots[slot])
                    if entryNumber == 0 { return nil }
                    if entries[entryNumber - 1].digest == digest
                        && (digest.isComplete || matches(entries[entryNumber - 1], utf8))
                    {
                        return entries[entryNumber - 1].string
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    private func matches(_ entry: Entry, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { all in
            bytesEqual(UnsafeBufferPointer(rebasing: all[entry.byteOffset..<entry.byteOffset + entry.byteCount]), utf8)
        }
    }

    @inline(__always)
    private static func slot(for digest: KeyDigest, mask: Int) -> Int {
        Int(truncatingIfNeeded: (digest.hashBits &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }
}
