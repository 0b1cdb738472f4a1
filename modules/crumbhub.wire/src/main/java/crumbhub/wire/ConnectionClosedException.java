package crumbhub.wire;

import java.util.Objects;

/** A request could not complete because its connection closed; {@link #reason()} says why. */
public final class ConnectionClosedException extends WireException {
    private final CloseReason reason;

    public ConnectionClosedException(CloseReason reason) {
        super(ErrorCode.INTERNAL, "connection closed: " + reason, reason.cause());
        this.reason = Objects.requireNonNull(reason);
    }

    public CloseReason reason() {
        return reason;
    }
}
