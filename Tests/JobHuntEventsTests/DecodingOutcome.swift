import JobHuntEvents

/// Decodes, or returns the decoding error; the event on success.
func decodeResult(_ bytes: [UInt8]) -> Result<Event, EventDecodingError> {
    Result { () throws(EventDecodingError) in try EventDecoder.decode(bytes) }
}

/// The error `EventDecoder` reports for `bytes`, or nil if they decode.
func decodeError(_ bytes: [UInt8]) -> EventDecodingError? {
    if case .failure(let error) = decodeResult(bytes) { return error }
    return nil
}

/// The error for the envelope, or nil.
func decodeError(_ envelope: EnvelopeText) -> EventDecodingError? {
    decodeError(envelope.bytes)
}

/// The error for `data` in an envelope of `type`, or nil.
func dataError(_ data: String, type: String) -> EventDecodingError? {
    decodeError(EnvelopeText(type: type, data: data))
}

/// The `(reason, detail)` of an error, for compact expectations.
func summary(_ error: EventDecodingError?) -> String? {
    error.map { "\($0.reason.rawValue): \($0.detail)" }
}
