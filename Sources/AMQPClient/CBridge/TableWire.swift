import CRabbitMQ

/// The table encoding checked without a broker: encode with librabbitmq's wire encoder and
/// decode again. Used by the unit tests.
enum TableWire {
    static func roundTrip(_ table: AMQPTable, bufferSize: Int = 1 << 16) throws -> AMQPTable {
        let arena = Arena()
        var cTable = try arena.table(table)
        let pool = UnsafeMutablePointer<amqp_pool_t>.allocate(capacity: 1)
        init_amqp_pool(pool, 4096)
        defer {
            empty_amqp_pool(pool)
            pool.deallocate()
        }
        var buffer = [UInt8](repeating: 0, count: bufferSize)
        return try buffer.withUnsafeMutableBytes { raw in
            var written = 0
            let status = amqp_encode_table(amqp_bytes_t(len: raw.count, bytes: raw.baseAddress), &cTable, &written)
            guard status == Status.ok else { throw Status.error(status, "amqp_encode_table") }
            var decoded = amqp_table_t()
            var read = 0
            let decodeStatus = amqp_decode_table(amqp_bytes_t(len: written, bytes: raw.baseAddress), pool, &decoded, &read)
            guard decodeStatus == Status.ok else { throw Status.error(decodeStatus, "amqp_decode_table") }
            return Decode.table(decoded)
        }
    }
}
