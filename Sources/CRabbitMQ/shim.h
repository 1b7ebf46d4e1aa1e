#ifndef JOBHUNT_CRABBITMQ_SHIM_H
#define JOBHUNT_CRABBITMQ_SHIM_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>

/// `amqp_login` is variadic, which Swift cannot call: this fixes it to SASL PLAIN.
static inline amqp_rpc_reply_t jobhunt_amqp_login_plain(
    amqp_connection_state_t state, const char *vhost, int channel_max, int frame_max,
    int heartbeat, const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat,
                      AMQP_SASL_METHOD_PLAIN, user, password);
}

/// `amqp_login_with_properties` is variadic too: SASL PLAIN with client properties
/// (`connection_name`, capabilities). librabbitmq merges them over its defaults.
static inline amqp_rpc_reply_t jobhunt_amqp_login_plain_with_properties(
    amqp_connection_state_t state, const char *vhost, int channel_max, int frame_max,
    int heartbeat, const amqp_table_t *properties, const char *user, const char *password) {
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat,
                                      properties, AMQP_SASL_METHOD_PLAIN, user, password);
}

/* Declared here rather than by including <openssl/ssl.h>, so OpenSSL's whole API does not
   leak into the Swift module. librabbitmq-dev depends on libssl-dev, and this matches
   OpenSSL's own declaration (SSL_CTX is `struct ssl_ctx_st`). */
struct ssl_ctx_st;
struct X509_VERIFY_PARAM_st;
int SSL_CTX_set_default_verify_paths(struct ssl_ctx_st *ctx);
struct X509_VERIFY_PARAM_st *SSL_CTX_get0_param(struct ssl_ctx_st *ctx);
int X509_VERIFY_PARAM_set1_ip_asc(struct X509_VERIFY_PARAM_st *param, const char *ipasc);
unsigned long ERR_peek_last_error(void);
void ERR_clear_error(void);

/// librabbitmq 0.11 trusts only a CA file given to `amqp_ssl_socket_set_cacert`; this makes
/// an SSL socket also trust the system's default certificate store. Returns 1 on success.
static inline int jobhunt_amqp_ssl_use_system_trust_store(amqp_socket_t *socket) {
    void *context = amqp_ssl_socket_get_context(socket);
    if (context == NULL) {
        return 0;
    }
    return SSL_CTX_set_default_verify_paths((struct ssl_ctx_st *)context);
}

/// librabbitmq 0.11 matches the host only against the certificate's DNS names. When `host` is
/// an IP address, this has OpenSSL check it against the certificate's IP addresses while it
/// verifies the chain (every connection of the socket's context inherits it). Returns 1 if
/// `host` is an IP address and was set, 0 otherwise (then librabbitmq's check applies).
static inline int jobhunt_amqp_ssl_expect_ip_address(amqp_socket_t *socket, const char *host) {
    void *context = amqp_ssl_socket_get_context(socket);
    if (context == NULL) {
        return 0;
    }
    return X509_VERIFY_PARAM_set1_ip_asc(SSL_CTX_get0_param((struct ssl_ctx_st *)context), host) == 1;
}

/// Empties the calling thread's OpenSSL error queue, so that `jobhunt_tls_alert_received`
/// only sees what the next TLS call leaves there.
static inline void jobhunt_tls_clear_errors(void) {
    ERR_clear_error();
}

/// The fatal TLS alert the peer sent (e.g. 116 certificate_required, 48 unknown_ca), read
/// from the last error of the calling thread's OpenSSL queue, where librabbitmq leaves it
/// when a handshake or read fails; -1 when that error is not a received alert. librabbitmq
/// reports every such failure as a bare SSL error, and only this tells a broker that refuses
/// the client's certificate from a connection cut mid-handshake. Decodes OpenSSL 3's packed
/// error codes (library in bits 23-30, reason in bits 0-22, bit 31 for system errors);
/// received alerts are reasons SSL_AD_REASON_OFFSET (1000) + alert of library ERR_LIB_SSL (20).
static inline int jobhunt_tls_alert_received(void) {
    unsigned long error = ERR_peek_last_error();
    if (error == 0 || (error & 0x80000000UL) != 0 || ((error >> 23) & 0xFF) != 20) {
        return -1;
    }
    unsigned long reason = error & 0x7FFFFFUL;
    return reason >= 1000 && reason < 1256 ? (int)(reason - 1000) : -1;
}

#endif
