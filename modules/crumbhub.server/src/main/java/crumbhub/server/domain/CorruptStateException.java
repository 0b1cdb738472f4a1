package crumbhub.server.domain;

/**
 * A stored record or snapshot that cannot be decoded or applied: wrong version, truncated,
 * trailing bytes, or a reference to something that does not exist. Recovery stops on it
 * rather than guess.
 */
public final class CorruptStateException extends RuntimeException {
    public CorruptStateException(String message) {
        super(message);
    }

    /** The failure of a {@link crumbhub.crypto.binary.BinaryReader} over a stored record or snapshot. */
    static CorruptStateException malformed(String what, String detail) {
        return new CorruptStateException(what + ": " + detail);
    }
}
