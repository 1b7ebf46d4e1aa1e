/// A JSON object: its members in document order, with unique keys.
///
/// Keys are compared by their UTF-8 code units (RFC 8259 §8.3; MongoDB does the same), so
/// "é" and "e\u{301}" are different keys. Equality and hashing compare the members in order:
/// `{"a":1,"b":2}` and `{"b":2,"a":1}` are different values (storage keeps the order given).
/// Lookups scan small objects (rejecting most keys by length and first bytes) and use a hash
/// index for large ones.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One member of an object: a key and its value.
    public struct Member: Sendable, Hashable {
        /// The member's name.
        public let key: String
        /// The member's value.
        public let value: JSONValue
        /// Speeds up lookups.
        let keyDigest: KeyDigest

        /// A member named `key` with `value`.
        public init(key: String, value: JSONValue) {
            self.init(key: key, value: value, keyDigest: KeyDigest(of: key))
        }

        init(key: String, value: JSONValue, keyDigest: KeyDigest) {
            self.key = key
            self.value = value
            self.keyDigest = keyDigest
        }

        /// True if this member's key has the same UTF-8 as `other` (whose digest is given).
        @inline(__always)
        func hasKey(_ other: String, digest: KeyDigest) -> Bool {
            keyDigest == digest && (digest.isComplete || key.hasSameUTF8(as: other))
        }

        /// Same key (compared by UTF-8) and equal value.
        public static func == (lhs: Member, rhs: Member) -> Bool {
            lhs.hasKey(rhs.key, digest: rhs.keyDigest) && lhs.value == rhs.value
        }

        /// Hashes the key's UTF-8 and the value.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(UTF8Key(string: key))
            hasher.combine(value)
        }
    }

    /// The members in document order.
    public let members: [Member]

    /// Key to position, built only for objects above `indexThreshold` members.
    private let index: [UTF8Key: Int]?

    /// Objects with more members than this get a hash index for lookups.
    static let indexThreshold = 32

    /// An object with the given members. Keys must be unique (compared by UTF-8): a repeated
    /// key is a programming error and traps (the parser reports duplicates as `.duplicateKey`).
    public init(_ members: [Member]) {
        var index: [UTF8Key: Int]?
        if members.count > Self.indexThreshold {
            var keyIndex = [UTF8Key: Int](minimumCapacity: members.count)
            for (position, member) in members.enumerated() {
                let previous = keyIndex.updateValue(position, forKey: UTF8Key(string: member.key))
                precondition(previous == nil, "JSONObject keys must be unique")
            }
            index = keyIndex
        } else {
            for position in members.indices.dropFirst() {
                let member = members[position]
                precondition(
                    !members[..<position].contains { $0.hasKey(member.key, digest: member.keyDigest) },
                    "JSONObject keys must be unique"
                )
            }
        }
        self.init(uncheckedMembers: members, index: index)
    }

    /// An object with the given key-value pairs, in order; keys must be unique.
    public init(_ pairs: [(key: String, value: JSONValue)]) {
        self.init(pairs.map { Member(key: $0.key, value: $0.value) })
    }

    /// An empty object.
    public init() {
        self.init(uncheckedMembers: [], index: nil)
    }

    /// Used by the parser, which has already checked the keys and may have built the index.
    init(uncheckedMembers members: [Member], index: [UTF8Key: Int]?) {
        self.members = members
        self.index = index
    }

    /// The value of the member named `key` (compared by UTF-8 code units, not by Unicode
    /// canonical equivalence), or nil if there is none.
    public subscript(key: String) -> JSONValue? {
        if let index {
            return index[UTF8Key(string: key)].map { members[$0].value }
        }
        guard let position = position(ofKey: key, digest: KeyDigest(of: key)) else { return nil }
        return members[position].value
    }

    /// The position of the member whose key is `key`, scanning without copying members.
    @inline(__always)
    private func position(ofKey key: String, digest: KeyDigest) -> Int? {
        members.withUnsafeBufferPointer { buffer in
            for position in buffer.indices where buffer[position].keyDigest == digest {
                if digest.isComplete || buffer[position].key.hasSameUTF8(as: key) { return position }
            }
            return nil
        }
    }

    /// The keys in document order.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// True when the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// Iterates the members in document order as `(key, value)` pairs.
    public func makeIterator() -> Iterator {
        Iterator(members: members.makeIterator())
    }

    /// Yields `(key, value)` pairs in document order.
    public struct Iterator: IteratorProtocol {
        var members: IndexingIterator<[Member]>

        /// The next pair, or nil after the last.
        public mutating func next() -> (key: String, value: JSONValue)? {
            members.next().map { (key: $0.key, value: $0.value) }
        }
    }

    /// Members equal in order, key (by UTF-8) and value.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members == rhs.members
    }

    /// Hashes the members in order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(members)
    }
}
