package crumbhub.wire;

import java.util.Objects;

/**
 * A transport-level violation (docs/protocol.md §1): a bad Noise message length, a failed
 * handshake or decryption, an unknown version. It always closes the connection, with
 * {@link #reason()} as the reason.
 */
public final class ProtocolException extends WireException {
    private final CloseReason reason;

    public ProtocolException(CloseReason reason) {
        super(ErrorCode.MALFORMED, reason.toString(), reason.cause());
        this.reason = Objects.requireNonNull(reason);
    }

    public ProtocolException(CloseReason.Kind kind, String detail) {
        this(new CloseReason(kind, detail, null));
    }

    public CloseReason reason() {
        return reason;
    }
}
