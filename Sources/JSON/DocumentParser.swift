/// The parser proper: an explicit-stack state machine over a validated UTF-8 buffer.
///
/// It never recurses, so nesting depth costs heap, not stack, and is bounded by
/// `maxDepth`. Finished elements of open arrays wait on `elements`, finished members of
/// open objects on `members`, and are moved (not copied) into their container when it closes.
struct DocumentParser: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    /// Keys to reuse rather than allocate, if the caller has a schema.
    let knownKeys: JSONKeyTable?
    var position = 0
    /// Elements of the open arrays, innermost last.
    var elements = UnsafeStack<JSONValue>(initialCapacity: 32)
    /// Members of the open objects, innermost last.
    var members = UnsafeStack<JSONObject.Member>(initialCapacity: 32)
    /// The open containers, innermost last.
    var frames = UnsafeStack<ContainerFrame>(initialCapacity: 8)
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    /// One open array or object.
    struct ContainerFrame {
        let isObject: Bool
        /// Where this container's entries start in `elements` or `members`.
        let start: Int
        /// The key read for the member whose value is being parsed, and its digest.
        var pendingKey = ""
        var pendingKeyDigest = KeyDigest(utf8: UnsafeBufferPointer(start: nil, count: 0))
        /// Key to member position, built once an object grows past `JSONObject.indexThreshold`.
        var keyIndex: [UTF8Key: Int]?

        init(isObject: Bool, start: Int) {
            self.isObject = isObject
            self.start = start
        }
    }

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, knownKeys: JSONKeyTable?) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.knownKeys = knownKeys
    }

    /// Parses the single top-level value and checks nothing but whitespace follows.
    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        let value = try parseValueTree()
        skipWhitespace()
        if position < bytes.count { throw JSONParseError(.trailingData, at: position) }
        return value
    }

    /// Parses one value, containers included, iteratively.
    private mutating func parseValueTree() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        nextValue: while true {
            guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
            var value: JSONValue
            switch bytes[position] {
            case ASCII.openBrace:
                if try openContainer(isObject: true, closer: ASCII.closeBrace) {
                    try parseKeyAndColon()
                    continue nextValue
                }
                value = .object(JSONObject())
            case ASCII.openBracket:
                if try openContainer(isObject: false, closer: ASCII.closeBracket) {
                    continue nextValue
                }
                value = .array([])
            case ASCII.quote:
                value = .string(try parseString())
            case ASCII.lowerT:
                try expectLiteral("true")
                value = .bool(true)
            case ASCII.lowerF:
                try expectLiteral("false")
                value = .bool(false)
            case ASCII.lowerN:
                try expectLiteral("null")
                value = .null
            case ASCII.minus, ASCII.zero...ASCII.nine:
                value = try parseNumber()
            default:
                throw JSONParseError(.unexpectedCharacter, at: position)
            }
            // A value is complete: attach it to its container, closing containers as they end.
            while frames.count > 0 {
                let top = frames.count - 1
                let isObject = frames[top].isObject
                if isObject {
                    members.push(
                        JSONObject.Member(
                            key: frames[top].pendingKey, value: value, keyDigest: frames[top].pendingKeyDigest))
                } else {
                    elements.push(value)
                }
                skipWhitespace()
                guard position < bytes.count else {
                    throw JSONParseError(.unexpectedEnd, at: position)
                }
                let byte = bytes[position]
                position += 1
                if byte == ASCII.comma {
                    skipWhitespace()
                    if isObject { try parseKeyAndColon() }
                    continue nextValue
                }
                guard byte == (isObject ? ASCII.closeBrace : ASCII.closeBracket) else {
                    throw JSONParseError(.unexpectedCharacter, at: position - 1)
                }
                value = closeInnermostContainer()
            }
            return value
        }
    }

    /// Consumes an opening bracket or brace. Returns false (having consumed the closer too)
    /// for an empty container, true when the container is now open on the stack.
    private mutating func openContainer(
        isObject: Bool, closer: UInt8
    ) throws(JSONParseError) -> Bool {
        guard frames.count < maxDepth else { throw JSONParseError(.tooDeep, at: position) }
        position += 1
        skipWhitespace()
        if position < bytes.count && bytes[position] == closer {
            position += 1
            return false
        }
        frames.push(ContainerFrame(isObject: isObject, start: isObject ? members.count : elements.count))
        return true
    }

    /// Pops the innermost container and moves its entries into its value.
    private mutating func closeInnermostContainer() -> JSONValue {
        let top = frames.count - 1
        let start = frames[top].start
        if !frames[top].isObject {
            frames.removeLast()
            return .array(elements.popArray(from: start))
        }
        let keyIndex = frames[top].keyIndex
        frames.removeLast()
        return .object(JSONObject(uncheckedMembers: members.popArray(from: start), index: keyIndex))
    }

    /// Reads `"key"` and the following `:`, rejecting a key the object already has.
    private mutating func parseKeyAndColon() throws(JSONParseError) {
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        guard bytes[position] == ASCII.quote else {
            throw JSONParseError(.unexpectedCharacter, at: position)
        }
        let keyOffset = position
        let (key, digest) = try parseKey()
        try checkKeyIsNew(key, digest: digest, at: keyOffset)
        frames[frames.count - 1].pendingKey = key
        frames[frames.count - 1].pendingKeyDigest = digest
        skipWhitespace()
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        guard bytes[position] == ASCII.colon else {
            throw JSONParseError(.unexpectedCharacter, at: position)
        }
        position += 1
        skipWhitespace()
    }

    /// Throws `.duplicateKey` if the innermost object already has `key` (compared by UTF-8).
    private mutating func checkKeyIsNew(
        _ key: String, digest: KeyDigest, at offset: Int
    ) throws(JSONParseError) {
        let top = frames.count - 1
        let start = frames[top].start
        let memberPosition = members.count - start
        if frames[top].keyIndex != nil {
            guard frames[top].keyIndex!.updateValue(memberPosition, forKey: UTF8Key(string: key)) == nil else {
                throw JSONParseError(.duplicateKey, at: offset)
            }
            return
        }
        for index in start..<members.count where members[index].hasKey(key, digest: digest) {
            throw JSONParseError(.duplicateKey, at: offset)
        }
        if memberPosition == JSONObject.indexThreshold {
            var keyIndex = [UTF8Key: Int](minimumCapacity: memberPosition * 2)
            for index in start..<members.count {
                keyIndex[UTF8Key(string: members[index].key)] = index - start
            }
            keyIndex[UTF8Key(string: key)] = memberPosition
            frames[top].keyIndex = keyIndex
        }
    }

    /// Consumes `literal` exactly.
    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
            guard bytes[position] == byte else {
                throw JSONParseError(.unexpectedCharacter, at: position)
            }
            position += 1
        }
    }

    /// Skips RFC 8259 whitespace: space, tab, line feed, carriage return.
    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count && ASCII.isWhitespace(bytes[position]) {
            position += 1
        }
    }
}
