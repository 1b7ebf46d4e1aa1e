import CRabbitMQ

/// Memory for the C arguments of one librabbitmq call: strings, tables and properties are
/// copied into an `amqp_pool_t` so their pointers stay valid for the whole call (a pointer
/// from `withCString` would dangle once its closure returns). `reset()` frees everything at
/// once after the call.
///
/// Not thread-safe; each connection owns one and uses it under its lock.
final class Arena {
    private let pool: UnsafeMutablePointer<amqp_pool_t>

    init(pageSize: Int = 4096) {
        pool = .allocate(capacity: 1)
        init_amqp_pool(pool, pageSize)
    }

    deinit {
        empty_amqp_pool(pool)
        pool.deallocate()
    }

    /// Recycles all allocations (keeps the first page for the next call).
    func reset() {
        recycle_amqp_pool(pool)
    }

    /// Runs `body` and resets the arena afterwards; nothing allocated inside may escape.
    func scoped<T>(_ body: (Arena) throws -> T) rethrows -> T {
        defer { reset() }
        return try body(self)
    }

    private func allocate(_ count: Int) throws -> UnsafeMutableRawPointer {
        guard let raw = amqp_pool_alloc(pool, count) else {
            throw AMQPError(
                .library(status: AMQP_STATUS_NO_MEMORY.rawValue), "out of memory building an AMQP frame",
                libraryStatus: AMQP_STATUS_NO_MEMORY.rawValue)
        }
        return raw
    }

    /// The UTF-8 of `text`, copied.
    func bytes(_ text: String) throws -> amqp_bytes_t {
        var text = text
        return try text.withUTF8 { try bytes(UnsafeRawBufferPointer($0)) }
    }

    /// `data`, copied.
    func bytes(_ data: [UInt8]) throws -> amqp_bytes_t {
        try data.withUnsafeBytes { try bytes($0) }
    }

    private func bytes(_ buffer: UnsafeRawBufferPointer) throws -> amqp_bytes_t {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return amqp_empty_bytes }
        let raw = try allocate(buffer.count)
        raw.copyMemory(from: base, byteCount: buffer.count)
        return amqp_bytes_t(len: buffer.count, bytes: raw)
    }

    /// A NUL-terminated copy of `text`; throws if `text` contains NUL. `what` names the value
    /// in the error (never its content).
    func cString(_ text: String, what: String) throws -> UnsafePointer<CChar> {
        let utf8 = Array(text.utf8)
        if utf8.contains(0) {
            throw AMQPError(.invalidArgument, "the \(what) contains a NUL byte")
        }
        let raw = try allocate(utf8.count + 1)
        let chars = raw.bindMemory(to: CChar.self, capacity: utf8.count + 1)
        for (index, byte) in utf8.enumerated() {
            chars[index] = CChar(bitPattern: byte)
        }
        chars[utf8.count] = 0
        return UnsafePointer(chars)
    }

    /// `table` as an `amqp_table_t`, keys in byte order.
    func table(_ table: AMQPTable) throws -> amqp_table_t {
        if table.isEmpty { return amqp_empty_table }
        let entries = Array(table)
        let stride = MemoryLayout<amqp_table_entry_t>.stride
        let pointer = try allocate(entries.count * stride)
            .bindMemory(to: amqp_table_entry_t.self, capacity: entries.count)
        for (index, entry) in entries.enumerated() {
            guard entry.key.utf8.count <= 255 else {
                throw AMQPError(.invalidArgument, "a table key is longer than 255 bytes")
            }
            (pointer + index).initialize(
                to: amqp_table_entry_t(key: try bytes(entry.key), value: try fieldValue(entry.value)))
        }
        return amqp_table_t(num_entries: Int32(entries.count), entries: pointer)
    }

    private func fieldValue(_ value: AMQPFieldValue) throws -> amqp_field_value_t {
        var field = amqp_field_value_t()
        func kind(_ kind: amqp_field_value_kind_t) -> UInt8 { UInt8(kind.rawValue) }
        switch value {
        case .bool(let v):
            field.kind = kind(AMQP_FIELD_KIND_BOOLEAN)
            field.value.boolean = v ? 1 : 0
        case .int8(let v):
            field.kind = kind(AMQP_FIELD_KIND_I8)
            field.value.i8 = v
        case .uint8(let v):
            field.kind = kind(AMQP_FIELD_KIND_U8)
            field.value.u8 = v
        case .int16(let v):
            field.kind = kind(AMQP_FIELD_KIND_I16)
            field.value.i16 = v
        case .uint16(let v):
            field.kind = kind(AMQP_FIELD_KIND_U16)
            field.value.u16 = v
        case .int32(let v):
            field.kind = kind(AMQP_FIELD_KIND_I32)
            field.value.i32 = v
        case .uint32(let v):
            field.kind = kind(AMQP_FIELD_KIND_U32)
            field.value.u32 = v
        case .int64(let v):
            field.kind = kind(AMQP_FIELD_KIND_I64)
            field.value.i64 = v
        case .uint64(let v):
            guard let signed = Int64(exactly: v) else {
                throw AMQPError(.invalidArgument, "RabbitMQ has no unsigned 64-bit field type; \(v) does not fit in Int64")
            }
            field.kind = kind(AMQP_FIELD_KIND_I64)
            field.value.i64 = signed
        case .float(let v):
            field.kind = kind(AMQP_FIELD_KIND_F32)
            field.value.f32 = v
        case .double(let v):
            field.kind = kind(AMQP_FIELD_KIND_F64)
            field.value.f64 = v
        case .decimal(let scale, let v):
            field.kind = kind(AMQP_FIELD_KIND_DECIMAL)
            field.value.decimal = amqp_decimal_t(decimals: scale, value: v)
        case .string(let v):
            field.kind = kind(AMQP_FIELD_KIND_UTF8)
            field.value.bytes = try bytes(v)
        case .bytes(let v):
            field.kind = kind(AMQP_FIELD_KIND_BYTES)
            field.value.bytes = try bytes(v)
        case .timestamp(let v):
            field.kind = kind(AMQP_FIELD_KIND_TIMESTAMP)
            field.value.u64 = v
        case .array(let elements):
            field.kind = kind(AMQP_FIELD_KIND_ARRAY)
            if elements.isEmpty {
                field.value.array = amqp_empty_array
            } else {
                let pointer = try allocate(elements.count * MemoryLayout<amqp_field_value_t>.stride)
                    .bindMemory(to: amqp_field_value_t.self, capacity: elements.count)
                for (index, element) in elements.enumerated() {
                    (pointer + index).initialize(to: try fieldValue(element))
                }
                field.value.array = amqp_array_t(num_entries: Int32(elements.count), entries: pointer)
            }
        case .table(let nested):
            field.kind = kind(AMQP_FIELD_KIND_TABLE)
            field.value.table = try table(nested)
        case .void:
            field.kind = kind(AMQP_FIELD_KIND_VOID)
        }
        return field
    }

    /// `properties` as `amqp_basic_properties_t`, with a flag for each field that is set.
    func properties(_ properties: AMQPMessageProperties) throws -> amqp_basic_properties_t {
        var c = amqp_basic_properties_t()
        var flags: UInt32 = 0
        func flag(_ value: Int32) -> UInt32 { UInt32(value) }
        if let v = properties.contentType {
            c.content_type = try bytes(v)
            flags |= flag(AMQP_BASIC_CONTENT_TYPE_FLAG)
        }
        if let v = properties.contentEncoding {
            c.content_encoding = try bytes(v)
            flags |= flag(AMQP_BASIC_CONTENT_ENCODING_FLAG)
        }
        if !properties.headers.isEmpty {
            c.headers = try table(properties.headers)
            flags |= flag(AMQP_BASIC_HEADERS_FLAG)
        }
        if let v = properties.deliveryMode {
            c.delivery_mode = v.rawValue
            flags |= flag(AMQP_BASIC_DELIVERY_MODE_FLAG)
        }
        if let v = properties.priority {
            c.priority = v
            flags |= flag(AMQP_BASIC_PRIORITY_FLAG)
        }
        if let v = properties.correlationID {
            c.correlation_id = try bytes(v)
            flags |= flag(AMQP_BASIC_CORRELATION_ID_FLAG)
        }
        if let v = properties.replyTo {
            c.reply_to = try bytes(v)
            flags |= flag(AMQP_BASIC_REPLY_TO_FLAG)
        }
        if let v = properties.expiration {
            c.expiration = try bytes(v)
            flags |= flag(AMQP_BASIC_EXPIRATION_FLAG)
        }
        if let v = properties.messageID {
            c.message_id = try bytes(v)
            flags |= flag(AMQP_BASIC_MESSAGE_ID_FLAG)
        }
        if let v = properties.timestamp {
            c.timestamp = v
            flags |= flag(AMQP_BASIC_TIMESTAMP_FLAG)
        }
        if let v = properties.type {
            c.type = try bytes(v)
            flags |= flag(AMQP_BASIC_TYPE_FLAG)
        }
        if let v = properties.userID {
            c.user_id = try bytes(v)
            flags |= flag(AMQP_BASIC_USER_ID_FLAG)
        }
        if let v = properties.appID {
            c.app_id = try bytes(v)
            flags |= flag(AMQP_BASIC_APP_ID_FLAG)
        }
        if let v = properties.clusterID {
            c.cluster_id = try bytes(v)
            flags |= flag(AMQP_BASIC_CLUSTER_ID_FLAG)
        }
        c._flags = flags
        return c
    }
}
