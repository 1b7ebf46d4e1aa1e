/// Bounds the parser enforces before and while reading a document, and an optional table of
/// expected keys that makes parsing documents of a known schema cheaper.
public struct JSONLimits: Sendable {
    /// The deepest nesting of arrays and objects allowed; the top-level container is depth 1.
    /// Exceeding it is `.tooDeep`. The parser never recurses, so any value is safe.
    public var maxDepth: Int

    /// The largest input accepted, in bytes; nil for no limit. Exceeding it is `.inputTooLarge`.
    public var maxBytes: Int?

    /// Object keys the parser reuses instead of allocating (a performance hint only:
    /// results are the same with or without it).
    public var knownKeys: JSONKeyTable?

    /// Limits with the given bounds.
    public init(maxDepth: Int = 64, maxBytes: Int? = nil, knownKeys: JSONKeyTable? = nil) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
        self.knownKeys = knownKeys
    }

    /// Depth 64, no size limit.
    public static let `default` = JSONLimits()
}
