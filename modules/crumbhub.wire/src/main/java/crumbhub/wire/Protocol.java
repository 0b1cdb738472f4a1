package crumbhub.wire;

import java.nio.charset.StandardCharsets;

/** Protocol-wide constants of the CrumbHub wire protocol, version 1 (docs/protocol.md §1). */
public final class Protocol {
    /** Noise prologue; both sides must use it or the handshake fails. */
    public static final String PROLOGUE = "CrumbHub/1";
    public static final int DEFAULT_PORT = 5555;

    /** Version byte carried in the payload of handshake messages 2 and 3 (§1). */
    public static final int VERSION = 1;

    /** Largest Noise message, handshake or transport; also the largest value of its u16 length prefix (§1). */
    public static final int MAX_NOISE_MESSAGE = 65_535;
    /** Bytes of the big-endian length that precedes every Noise message on TCP (§1). */
    public static final int LENGTH_PREFIX = 2;
    /** AES-GCM tag appended to every encrypted Noise payload. */
    public static final int TAG_LENGTH = 16;
    /** Largest plaintext of one transport message: 65,535 − 16 (§1). */
    public static final int MAX_PLAINTEXT = MAX_NOISE_MESSAGE - TAG_LENGTH;

    /** Smallest frameLength: type (1) + requestId (4) (§2). */
    public static final int MIN_FRAME_LENGTH = 5;
    /** Largest frameLength, so that u16 frameLength plus the frame fills one plaintext exactly (§2). */
    public static final int MAX_FRAME_LENGTH = MAX_PLAINTEXT - 2;

    /**
     * A server over a connection limit sends a zero length prefix where handshake message 2
     * belongs (a length no Noise message can have), then closes (§1): the client can tell
     * "refused: too many connections" from a broken peer.
     */
    public static final int REFUSAL_LENGTH = 0;

    /** Transport messages per direction after which a CipherState rekeys (§1: 2^20). */
    public static final long REKEY_INTERVAL = 1L << 20;

    private Protocol() {}

    /** The prologue as the bytes that enter the Noise handshake hash. */
    public static byte[] prologueBytes() {
        return PROLOGUE.getBytes(StandardCharsets.US_ASCII);
    }
}
