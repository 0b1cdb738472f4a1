package crumbhub.wire;

import java.util.Objects;

/**
 * Why a connection closed: a {@link Kind} to switch on, a sentence for logs (never a key or a
 * message body), and the underlying exception when there is one.
 */
public record CloseReason(Kind kind, String detail, Throwable cause) {

    /** The closed set of ways a connection ends. */
    public enum Kind {
        /** This side called close() or closeAfterFlush(). */
        LOCAL,
        /** The peer closed the TCP connection. */
        PEER_CLOSED,
        /** The TCP connect failed (client side). */
        CONNECT_FAILED,
        /** The handshake did not finish within ConnectionOptions.handshakeTimeout. */
        HANDSHAKE_TIMEOUT,
        /** No frame arrived within ConnectionOptions.idleTimeout. */
        IDLE_TIMEOUT,
        /** A handshake message was the wrong size or failed Noise processing. */
        HANDSHAKE_FAILED,
        /** The handshake payload carried a version this side does not speak. */
        VERSION_MISMATCH,
        /** This side's handler rejected the peer's static key (pinning). */
        KEY_REJECTED,
        /** A transport message was the wrong size or failed to decrypt: garbage or tampering. */
        PROTOCOL_ERROR,
        /** A decrypted frame broke §2. */
        MALFORMED_FRAME,
        /** A send or receive nonce came too close to 2^64 − 1. */
        NONCE_EXHAUSTED,
        /** A ConnectionHandler callback threw. */
        HANDLER_ERROR,
        /** Reading or writing the socket failed. */
        IO_ERROR,
        /** closeAfterFlush() could not drain the outbound buffer in time. */
        FLUSH_TIMEOUT,
        /** The connection's event loop is shutting down. */
        SHUTDOWN,
        /** The server refused the connection before the handshake: one of its connection limits (§1). */
        REFUSED
    }

    public CloseReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    public static CloseReason of(Kind kind, String detail) {
        return new CloseReason(kind, detail, null);
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
