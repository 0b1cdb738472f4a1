package crumbhub.client.e2e;

import crumbhub.client.ClientException;

/**
 * Bytes of an end-to-end record or message body that do not parse: the failure every
 * {@link crumbhub.crypto.binary.BinaryReader} of this package reports ({@link #of}). Callers turn
 * it into their own failure: a damaged local record ({@link #damaged}) or a message that cannot
 * be opened.
 */
final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
        super(message);
    }

    /** The reader failure for {@code what} ("envelope", "end-to-end record" …). */
    static Malformed of(String what, String detail) {
        return new Malformed(what + ": " + detail);
    }

    /** A damaged local record: the store error the user sees, naming the record. */
    static ClientException damaged(String record, Exception cause) {
        return ClientException.store("the end-to-end record " + record + " is damaged (" + cause.getMessage()
                + "); log in again as a new device to start over", cause);
    }
}
