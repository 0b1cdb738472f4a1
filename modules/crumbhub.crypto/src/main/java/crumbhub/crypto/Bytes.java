package crumbhub.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/** Small byte-array helpers shared by the crypto code. All methods are stateless and thread-safe. */
public final class Bytes {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Bytes() {}

    /** Lower-case hex of {@code bytes}. */
    public static String hex(byte[] bytes) {
        var out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Decodes hex of either case.
     *
     * @throws IllegalArgumentException if the length is odd or a character is not a hex digit
     */
    public static byte[] fromHex(CharSequence hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string has odd length " + hex.length());
        }
        var out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex digit at offset " + (hi < 0 ? 2 * i : 2 * i + 1));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** Overwrites every given array with zeros; {@code null} entries are skipped. */
    public static void zero(byte[]... arrays) {
        for (var a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }

    /** Compares in time that depends only on the lengths, not on the contents. */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** The concatenation of the given arrays, in order. */
    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (var p : parts) {
            length = Math.addExact(length, p.length);
        }
        var out = new byte[length];
        int at = 0;
        for (var p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
