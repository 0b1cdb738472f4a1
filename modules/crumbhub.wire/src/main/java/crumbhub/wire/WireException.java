package crumbhub.wire;

import java.util.Objects;

/**
 * The closed set of failures of the wire module. Each carries the {@link ErrorCode} a server
 * would answer with, so one place per connection can decide what to do with it.
 */
public abstract sealed class WireException extends Exception
        permits MalformedFrameException, ProtocolException, ConnectionClosedException {
    private final ErrorCode code;

    WireException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    /** The error code this failure maps to. */
    public ErrorCode code() {
        return code;
    }
}
