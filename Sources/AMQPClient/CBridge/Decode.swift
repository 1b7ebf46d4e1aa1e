import CRabbitMQ

// Copying values out of librabbitmq's memory. Everything here copies: the results never
// point into a frame, a pool or a message, which librabbitmq frees or reuses later.

extension amqp_bytes_t {
    /// A copy of the bytes.
    var byteArray: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }

    /// The bytes as text (invalid UTF-8 is replaced with U+FFFD).
    var text: String {
        guard len > 0, let bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }
}

enum Decode {
    static func table(_ table: amqp_table_t) -> AMQPTable {
        var result = AMQPTable()
        guard table.num_entries > 0, let entries = table.entries else { return result }
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            result[entry.key.text] = field(entry.value)
        }
        return result
    }

    static func field(_ field: amqp_field_value_t) -> AMQPFieldValue {
        func kind(_ kind: amqp_field_value_kind_t) -> UInt8 { UInt8(kind.rawValue) }
        let value = field.value
        switch field.kind {
        case kind(AMQP_FIELD_KIND_BOOLEAN): return .bool(value.boolean != 0)
        case kind(AMQP_FIELD_KIND_I8): return .int8(value.i8)
        case kind(AMQP_FIELD_KIND_U8): return .uint8(value.u8)
        case kind(AMQP_FIELD_KIND_I16): return .int16(value.i16)
        case kind(AMQP_FIELD_KIND_U16): return .uint16(value.u16)
        case kind(AMQP_FIELD_KIND_I32): return .int32(value.i32)
        case kind(AMQP_FIELD_KIND_U32): return .uint32(value.u32)
        case kind(AMQP_FIELD_KIND_I64): return .int64(value.i64)
        case kind(AMQP_FIELD_KIND_U64): return .uint64(value.u64)
        case kind(AMQP_FIELD_KIND_F32): return .float(value.f32)
        case kind(AMQP_FIELD_KIND_F64): return .double(value.f64)
        case kind(AMQP_FIELD_KIND_DECIMAL):
            return .decimal(scale: value.decimal.decimals, value: value.decimal.value)
        case kind(AMQP_FIELD_KIND_UTF8):
            let bytes = value.bytes.byteArray
            return String(validating: bytes, as: UTF8.self).map(AMQPFieldValue.string) ?? .bytes(bytes)
        case kind(AMQP_FIELD_KIND_BYTES): return .bytes(value.bytes.byteArray)
        case kind(AMQP_FIELD_KIND_TIMESTAMP): return .timestamp(value.u64)
        case kind(AMQP_FIELD_KIND_TABLE): return .table(table(value.table))
        case kind(AMQP_FIELD_KIND_ARRAY):
            let array = value.array
            guard array.num_entries > 0, let entries = array.entries else { return .array([]) }
            return .array((0..<Int(array.num_entries)).map { self.field(entries[$0]) })
        default: return .void
        }
    }

    static func properties(_ c: amqp_basic_properties_t) -> AMQPMessageProperties {
        let flags = c._flags
        func has(_ flag: Int32) -> Bool { flags & UInt32(flag) != 0 }
        var p = AMQPMessageProperties()
        if has(AMQP_BASIC_CONTENT_TYPE_FLAG) { p.contentType = c.content_type.text }
        if has(AMQP_BASIC_CONTENT_ENCODING_FLAG) { p.contentEncoding = c.content_encoding.text }
        if has(AMQP_BASIC_HEADERS_FLAG) { p.headers = table(c.headers) }
        if has(AMQP_BASIC_DELIVERY_MODE_FLAG) { p.deliveryMode = AMQPDeliveryMode(rawValue: c.delivery_mode) }
        if has(AMQP_BASIC_PRIORITY_FLAG) { p.priority = c.priority }
        if has(AMQP_BASIC_CORRELATION_ID_FLAG) { p.correlationID = c.correlation_id.text }
        if has(AMQP_BASIC_REPLY_TO_FLAG) { p.replyTo = c.reply_to.text }
        if has(AMQP_BASIC_EXPIRATION_FLAG) { p.expiration = c.expiration.text }
        if has(AMQP_BASIC_MESSAGE_ID_FLAG) { p.messageID = c.message_id.text }
        if has(AMQP_BASIC_TIMESTAMP_FLAG) { p.timestamp = c.timestamp }
        if has(AMQP_BASIC_TYPE_FLAG) { p.type = c.type.text }
        if has(AMQP_BASIC_USER_ID_FLAG) { p.userID = c.user_id.text }
        if has(AMQP_BASIC_APP_ID_FLAG) { p.appID = c.app_id.text }
        if has(AMQP_BASIC_CLUSTER_ID_FLAG) { p.clusterID = c.cluster_id.text }
        return p
    }

    /// The decoded method of a frame or reply as a `T` (the caller checked the method id).
    static func method<T>(_ method: amqp_method_t, as type: T.Type) -> T? {
        method.decoded?.assumingMemoryBound(to: T.self).pointee
    }
}
