#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CRabbitMQ

/// Opening a connection: socket (TCP or TLS), handshake, login. On any failure the
/// `amqp_connection_state_t` is destroyed here; on success its ownership passes to the caller.
enum Handshake {
    struct Opened {
        let handle: amqp_connection_state_t
        let heartbeatSeconds: Int
        let frameMax: Int
        let channelMax: Int
        let serverProperties: AMQPTable
    }

    static func open(
        url: AMQPURL, heartbeatSeconds: Int, connectTimeout: Duration, frameMax: Int,
        clientName: String, rpcTimeout: Duration?, tls: AMQPTLSConfiguration
    ) throws -> Opened {
        guard (0...Int(UInt16.max)).contains(heartbeatSeconds) else {
            throw AMQPError(.invalidArgument, "heartbeatSeconds must be 0...65535")
        }
        guard (4096...Int(Int32.max)).contains(frameMax) else {
            throw AMQPError(.invalidArgument, "frameMax must be at least 4096")
        }
        guard let handle = amqp_new_connection() else {
            throw AMQPError(.library(status: AMQP_STATUS_NO_MEMORY.rawValue), "amqp_new_connection failed")
        }
        var handedOver = false
        defer {
            if !handedOver { amqp_destroy_connection(handle) }
        }
        let arena = Arena()
        let target = "\(url.host):\(url.port)"

        // The socket belongs to the connection state and is freed with it.
        let socket: OpaquePointer
        if url.isTLS {
            guard let created = amqp_ssl_socket_new(handle) else {
                throw AMQPError(.connectionFailed, "could not create a TLS socket (OpenSSL initialisation failed)")
            }
            socket = created
            try configure(socket, tls, host: url.host, arena: arena)
        } else {
            guard let created = amqp_tcp_socket_new(handle) else {
                throw AMQPError(.library(status: AMQP_STATUS_NO_MEMORY.rawValue), "could not create a TCP socket")
            }
            socket = created
        }

        var timeout = timeval(connectTimeout)
        let host = try arena.cString(url.host, what: "host")
        TLSRefusal.reset()
        let status = amqp_socket_open_noblock(socket, host, Int32(url.port), &timeout)
        guard status == Status.ok else {
            if url.isTLS, let refusal = TLSRefusal.received() {
                throw refused(refusal, target: target, status: status)
            }
            throw AMQPError(
                .connectionFailed, "could not connect to \(target): \(Status.text(status))",
                libraryStatus: status)
        }
        _ = amqp_set_handshake_timeout(handle, &timeout)
        if let rpcTimeout {
            var rpc = timeval(rpcTimeout)
            _ = amqp_set_rpc_timeout(handle, &rpc)
        }

        // Capabilities are merged over librabbitmq's defaults; consumer_cancel_notify is what
        // makes RabbitMQ send basic.cancel when a consumed queue is deleted.
        let clientProperties: AMQPTable = [
            "connection_name": .string(clientName),
            "capabilities": .table([
                "authentication_failure_close": true,
                "consumer_cancel_notify": true,
                "publisher_confirms": true,
                "basic.nack": true,
                "connection.blocked": true,
            ]),
        ]
        var properties = try arena.table(clientProperties)
        let reply = jobhunt_amqp_login_plain_with_properties(
            handle,
            try arena.cString(url.vhost, what: "vhost"), 0, Int32(frameMax), Int32(heartbeatSeconds),
            &properties,
            try arena.cString(url.user, what: "user"),
            try arena.cString(url.password, what: "password"))
        arena.reset()

        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            break
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD,
                let close = Decode.method(reply.reply, as: amqp_connection_close_t.self)
            {
                let code = close.reply_code
                let text = close.reply_text.text
                var closeOK = amqp_connection_close_ok_t()
                _ = amqp_send_method(handle, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &closeOK)
                throw AMQPError(
                    .connectionClosed(code: code, text: text),
                    "the broker refused the login to \(url.redactedDescription): \(code) \(text)")
            }
            throw AMQPError(.protocolError, "unexpected reply to the login at \(target)")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let status = reply.library_error
            var message = "login to \(url.redactedDescription) failed: \(Status.text(status))"
            if status == AMQP_STATUS_CONNECTION_CLOSED.rawValue || status == AMQP_STATUS_SOCKET_CLOSED.rawValue {
                message += " (the broker closed the connection: wrong credentials or vhost, or a connection limit?)"
            } else if url.isTLS && status == AMQP_STATUS_SSL_ERROR.rawValue {
                // With TLS 1.3 a broker refuses the client's certificate after the handshake,
                // so the refusal surfaces here, as a bare SSL error.
                if let refusal = TLSRefusal.received() { throw refused(refusal, target: target, status: status) }
                // A refusal whose alert was lost to the broker's reset looks like this too.
                message += " (the broker ended the TLS session: does it require a client certificate, or not trust this one?)"
            }
            throw AMQPError(.connectionFailed, message, libraryStatus: status)
        default:
            throw AMQPError(.protocolError, "no reply to the login at \(target)")
        }

        let serverProperties = amqp_get_server_properties(handle).map { Decode.table($0.pointee) } ?? [:]
        handedOver = true
        return Opened(
            handle: handle,
            heartbeatSeconds: Int(amqp_get_heartbeat(handle)),
            frameMax: Int(amqp_get_frame_max(handle)),
            channelMax: Int(amqp_get_channel_max(handle)),
            serverProperties: serverProperties)
    }

    private static func refused(_ refusal: (alert: Int32, name: String), target: String, status: Int32) -> AMQPError {
        AMQPError(
            .tlsRefused(alert: refusal.alert),
            "the broker at \(target) refused the TLS connection (alert \(refusal.alert), \(refusal.name)): "
                + "does it require a client certificate, or not trust the one given?",
            libraryStatus: status)
    }

    private static func configure(_ socket: OpaquePointer, _ tls: AMQPTLSConfiguration, host: String, arena: Arena) throws {
        amqp_ssl_socket_set_verify_peer(socket, tls.verifyPeer ? 1 : 0)
        // An IP address is checked by OpenSSL with the chain (librabbitmq knows DNS names only).
        let hostText = try arena.cString(host, what: "host")
        let checksAddress = tls.verifyHostname && tls.verifyPeer && jobhunt_amqp_ssl_expect_ip_address(socket, hostText) == 1
        amqp_ssl_socket_set_verify_hostname(socket, tls.verifyHostname && !checksAddress ? 1 : 0)
        _ = amqp_ssl_socket_set_ssl_versions(socket, AMQP_TLSv1_2, AMQP_TLSvLATEST)
        if let path = tls.caCertificatePath {
            let status = amqp_ssl_socket_set_cacert(socket, try arena.cString(path, what: "CA file path"))
            guard status == Status.ok else {
                throw AMQPError(.invalidArgument, "could not load the CA certificate file \(path)", libraryStatus: status)
            }
        } else if tls.verifyPeer {
            guard jobhunt_amqp_ssl_use_system_trust_store(socket) == 1 else {
                throw AMQPError(.connectionFailed, "could not load the system trust store")
            }
        }
        switch (tls.clientCertificatePath, tls.clientKeyPath) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            let status = amqp_ssl_socket_set_key(
                socket, try arena.cString(certificate, what: "client certificate path"),
                try arena.cString(key, what: "client key path"))
            guard status == Status.ok else {
                throw AMQPError(.invalidArgument, "could not load the client certificate or key", libraryStatus: status)
            }
        default:
            throw AMQPError(.invalidArgument, "a client certificate needs both clientCertificatePath and clientKeyPath")
        }
        arena.reset()
    }
}
