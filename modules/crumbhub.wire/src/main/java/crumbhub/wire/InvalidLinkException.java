package crumbhub.wire;

/**
 * An invite link (docs/protocol.md "Invite links") that cannot be used: not a {@code crumbhub://} link, a
 * character a link never holds, a checksum that does not match (a typo, a lost piece, an edit),
 * or fields that do not parse. The message is one sentence for the user and never repeats the
 * link's bytes. Not a {@link WireException}: it is a user's input failing before any
 * connection exists, and no connection ever handles it.
 */
public final class InvalidLinkException extends Exception {
    public InvalidLinkException(String message) {
        super(message);
    }
}
