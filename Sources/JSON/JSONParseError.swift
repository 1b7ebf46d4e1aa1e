/// Why and where a document was rejected.
///
/// The description names the problem and the byte offset only; it never quotes the input,
/// so it is safe to log for untrusted payloads.
public struct JSONParseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kinds of problem the parser reports.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The input is larger than `JSONLimits.maxBytes`.
        case inputTooLarge
        /// The input is not well-formed UTF-8 (overlongs, surrogates, > U+10FFFF, truncation).
        case invalidUTF8
        /// The input starts with a UTF-8 byte order mark, which RFC 8259 forbids emitting.
        case byteOrderMark
        /// The input ended inside a value (or was empty / only whitespace).
        case unexpectedEnd
        /// A byte that cannot start or continue the current construct.
        case unexpectedCharacter
        /// A number that breaks the RFC 8259 grammar (leading zero, missing digits).
        case invalidNumber
        /// A number too large to represent as a finite double.
        case numberOutOfRange
        /// A backslash escape that is not one of RFC 8259's, or a malformed `\u` escape.
        case invalidEscape
        /// A `\u` escape for a UTF-16 surrogate without its partner.
        case loneSurrogate
        /// An unescaped byte below 0x20 inside a string.
        case controlCharacterInString
        /// Arrays and objects nested deeper than `JSONLimits.maxDepth`.
        case tooDeep
        /// An object with the same key twice.
        case duplicateKey
        /// Something other than whitespace after the top-level value.
        case trailingData
    }

    /// What went wrong.
    public let kind: Kind
    /// The offset in the input of the byte where the problem was detected.
    public let byteOffset: Int

    /// An error of `kind` at `byteOffset`.
    public init(_ kind: Kind, at byteOffset: Int) {
        self.kind = kind
        self.byteOffset = byteOffset
    }

    /// For example "duplicate object key at byte 17".
    public var description: String {
        "\(kind.summary) at byte \(byteOffset)"
    }
}

extension JSONParseError.Kind {
    /// A short human-readable phrase for the kind.
    public var summary: String {
        switch self {
        case .inputTooLarge: "input too large"
        case .invalidUTF8: "invalid UTF-8"
        case .byteOrderMark: "byte order mark not allowed"
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedCharacter: "unexpected character"
        case .invalidNumber: "invalid number"
        case .numberOutOfRange: "number out of range"
        case .invalidEscape: "invalid escape sequence"
        case .loneSurrogate: "lone UTF-16 surrogate escape"
        case .controlCharacterInString: "unescaped control character in string"
        case .tooDeep: "nesting too deep"
        case .duplicateKey: "duplicate object key"
        case .trailingData: "data after the JSON value"
        }
    }
}
