package crumbhub.wire;

/**
 * Upper bounds of every variable-length field (docs/protocol.md §2). The decoder checks each
 * length against its bound before it allocates, and frame constructors reject values over them.
 * All byte counts are of the UTF-8 encoding.
 */
public final class Limits {
    /** User or room name, without {@code #}/{@code @}: the rules are {@link NameRules}. */
    public static final int NAME = 32;
    /** Password bytes: the most a {@code bytes8} field holds; long enough for any passphrase. */
    public static final int PASSWORD = 255;
    /**
     * The fewest characters (code points) a new account's password may have: the client refuses
     * shorter ones before sending, and a server may require more (docs/operations.md §3,
     * {@code password.min.length}). Existing accounts keep logging in with shorter ones.
     */
    public static final int PASSWORD_MIN = 8;
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
    /**
     * One encoded public key of the end-to-end layer (identity, signed prekey, signed ML-KEM prekey;
     * the largest, the ML-KEM prekey, is 1,253 bytes). The server decodes and checks each one.
     */
    public static final int KEY = 2_048;
    /** One encoded one-time prekey ({@code bytes8}; 37 bytes today). */
    public static final int ONE_TIME_KEY = 255;
    /** One-time prekeys in one KEYS_PUBLISH: a refill of 100 keys fits one frame with room to spare. */
    public static final int PREKEYS_PER_UPLOAD = 100;
    /**
     * One-time ML-KEM prekeys in one KEM_PREKEYS_PUBLISH: 40 encodings of 1,253 bytes (about 50 KB)
     * fit one frame with room to spare.
     */
    public static final int KEM_PREKEYS_PER_UPLOAD = 40;
    /** Users named in one DEVICE_KEYS request. */
    public static final int USERS_PER_KEY_REQUEST = 64;
    /** Devices named in one KEY_BUNDLES request: the server keeps at most 32 active devices per user. */
    public static final int DEVICES_PER_BUNDLE_REQUEST = 32;
    /** Devices of one user in a DEVICE_KEYS_REPLY entry ({@code u8} count). */
    public static final int DEVICES_PER_USER = 255;

    /**
     * One encoded account public key (docs/protocol.md §7): Ed25519 and ML-DSA-65 (1,974 bytes in
     * X.509 form), about 2,020 bytes; at most crumbhub.crypto.account.AccountPublicKey's bound.
     */
    public static final int ACCOUNT_KEY = 2_200;
    /** One device certificate: its device identity and a hybrid signature (3,309 + 64 bytes), about 3,550 bytes. */
    public static final int CERTIFICATE = 4_400;
    /** The recovery escrow: the account's private keys (about 6 KB) sealed under the recovery code. */
    public static final int ESCROW = 8_192;
    /** Certificates in one ACCOUNT_PUBLISH: a publication fits one frame. */
    public static final int CERTIFICATES_PER_PUBLISH = 8;

    /**
     * One signed room statement (docs/protocol.md §8): a first entry naming up to 1,000 members and
     * invitations (about 33 KB) and a hybrid signature; at least crumbhub.crypto.account.RoomStatement's bound.
     */
    public static final int STATEMENT = 40_000;

    /**
     * One sealed batch of the history backup (docs/protocol.md §9): the largest padding bucket
     * (57,344 bytes) with its version, nonce and tag, and room for the other fields of a frame.
     */
    public static final int BACKUP_BLOB = 60_000;

    /**
     * Bytes of a file blob in one FILE_APPEND or FILE_DATA (docs/protocol.md §10): as a message
     * body, so a frame with its other fields fits one Noise message.
     */
    public static final int FILE_CHUNK = 60_000;

    private Limits() {}
}
