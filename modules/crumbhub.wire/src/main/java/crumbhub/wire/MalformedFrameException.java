package crumbhub.wire;

/**
 * A frame broke docs/protocol.md §2: a bad length, a field over its bound, trailing bytes,
 * invalid UTF-8 or an undefined enum value. The peer gets {@code ERROR malformed} and the
 * connection is closed.
 */
public final class MalformedFrameException extends WireException {
    private final int requestId;

    public MalformedFrameException(int requestId, String message) {
        super(ErrorCode.MALFORMED, message, null);
        this.requestId = requestId;
    }

    /** The request id of the offending frame if its header could be read, else 0. */
    public int requestId() {
        return requestId;
    }
}
