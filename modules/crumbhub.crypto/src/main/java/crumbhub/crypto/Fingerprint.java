package crumbhub.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The human-comparable fingerprint of a public key: SHA-256 of the raw key, lower-case hex, in
 * 16 groups of 4 digits separated by single spaces. Stateless and thread-safe.
 */
public final class Fingerprint {
    public static final int LENGTH = 32;
    private static final int GROUP = 4;

    private Fingerprint() {}

    /** The fingerprint text of {@code publicKey}. */
    public static String of(byte[] publicKey) {
        var hex = Bytes.hex(sha256(publicKey));
        var out = new StringBuilder(hex.length() + hex.length() / GROUP);
        for (int i = 0; i < hex.length(); i += GROUP) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(hex, i, i + GROUP);
        }
        return out.toString();
    }

    /**
     * The 32 digest bytes written in {@code text}: hex of either case; spaces and ':' are ignored.
     *
     * @throws CryptoException if the text holds anything else or not exactly 32 bytes
     */
    public static byte[] parse(String text) throws CryptoException {
        var digits = new StringBuilder(2 * LENGTH);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == ':') {
                continue;
            }
            if (Character.digit(c, 16) < 0 || c > 'f') {
                throw new CryptoException("fingerprint contains a character that is not a hex digit");
            }
            digits.append(c);
        }
        if (digits.length() != 2 * LENGTH) {
            throw new CryptoException("fingerprint must have " + 2 * LENGTH + " hex digits, got " + digits.length());
        }
        return Bytes.fromHex(digits);
    }

    /** Whether {@code text} is the fingerprint of {@code publicKey}; false for unparseable text. */
    public static boolean matches(byte[] publicKey, String text) {
        byte[] expected;
        try {
            expected = parse(text);
        } catch (CryptoException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(publicKey), expected);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance(Algorithms.SHA256).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + Algorithms.SHA256, e);
        }
    }
}
