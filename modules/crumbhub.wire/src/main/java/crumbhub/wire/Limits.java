package crumbhub.wire;

/**
 * Upper bounds of every variable-length field (docs/protocol.md §2). The decoder checks each
 * length against its bound before it allocates, and frame constructors reject values over them.
 * All byte counts are of the UTF-8 encoding.
 */
public final class Limits {
    /** User or room name, without {@code #}/{@code @}: names are 1–32 characters of [a-z0-9_.-]. */
    public static final int NAME = 32;
    /** Password bytes: the most a {@code bytes8} field holds; long enough for any passphrase. */
    public static final int PASSWORD = 255;
    public static final int INVITE = 64;
    public static final int DEVICE_NAME = 64;
    /** An ERROR code such as {@code bad_credentials}. */
    public static final int CODE = 32;
    /** An ERROR sentence, for people. */
    public static final int TEXT = 512;
    /** An (encrypted) message body; leaves room for DELIVER's other fields inside one frame. */
    public static final int BODY = 60_000;
    /** Entries in one list; a reply must also fit in one frame, so lists are truncated before this. */
    public static final int LIST_COUNT = 10_000;
    /** Bytes of a message id ({@code id16}). */
    public static final int MESSAGE_ID = 16;
    /** Bytes of a device token ({@code token}). */
    public static final int TOKEN = 32;

    private Limits() {}
}
