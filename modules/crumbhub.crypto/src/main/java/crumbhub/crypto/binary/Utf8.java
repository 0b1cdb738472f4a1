package crumbhub.crypto.binary;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 (RFC 3629) without intermediate arrays. Decoding rejects overlong forms, encoded
 * surrogates and code points above U+10FFFF, exactly as the JDK's UTF-8 decoder in REPORT mode
 * does. Encoding writes an unpaired surrogate as {@code '?'}, as {@link String#getBytes} does, so
 * that every encoding written through {@link BinaryWriter} is the one {@code getBytes(UTF_8)}
 * gives; {@link #strictLength} is for callers that must refuse such strings instead.
 */
public final class Utf8 {
    private Utf8() {}

    /** Bytes of the UTF-8 encoding of {@code s}, an unpaired surrogate counting as one ({@code '?'}). */
    public static int length(String s) {
        return length(s, false);
    }

    /** Bytes of the UTF-8 encoding of {@code s}; throws IllegalArgumentException on an unpaired surrogate. */
    public static int strictLength(String s) {
        return length(s, true);
    }

    private static int length(String s, boolean strict) {
        int n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else if (strict) {
                    throw new IllegalArgumentException("string holds an unpaired surrogate");
                } else {
                    n += 1;
                }
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Writes the UTF-8 encoding of {@code s} ({@link #length} bytes) at the buffer's position. */
    static void encode(String s, ByteBuffer out) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out.put((byte) (0xF0 | (cp >> 18)));
                    out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                    out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                    out.put((byte) (0x80 | (cp & 0x3F)));
                } else {
                    out.put((byte) '?');
                }
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }

    /** Whether {@code len} bytes at absolute position {@code pos} of {@code b} are well-formed UTF-8. */
    public static boolean isValid(ByteBuffer b, int pos, int len) {
        int i = pos;
        int end = pos + len;
        while (i < end) {
            int c = b.get(i) & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (c < 0xC2) {
                return false; // stray continuation byte or overlong two-byte form
            } else if (c < 0xE0) {
                need = 1;
            } else if (c < 0xF0) {
                need = 2;
                if (c == 0xE0) {
                    lo = 0xA0; // overlong
                } else if (c == 0xED) {
                    hi = 0x9F; // surrogates
                }
            } else if (c < 0xF5) {
                need = 3;
                if (c == 0xF0) {
                    lo = 0x90; // overlong
                } else if (c == 0xF4) {
                    hi = 0x8F; // above U+10FFFF
                }
            } else {
                return false;
            }
            if (end - i <= need) {
                return false;
            }
            int b1 = b.get(i + 1) & 0xFF;
            if (b1 < lo || b1 > hi) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                int bk = b.get(i + k) & 0xFF;
                if (bk < 0x80 || bk > 0xBF) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }

    /** Decodes {@code len} bytes at absolute position {@code pos}, already checked by {@link #isValid}. */
    static String decode(ByteBuffer b, int pos, int len) {
        if (len == 0) {
            return "";
        }
        if (b.hasArray()) {
            return new String(b.array(), b.arrayOffset() + pos, len, StandardCharsets.UTF_8);
        }
        byte[] tmp = new byte[len];
        b.get(pos, tmp);
        return new String(tmp, StandardCharsets.UTF_8);
    }
}
