package crumbhub.wire;

import crumbhub.crypto.binary.Utf8;
import java.util.Objects;

/** Field-bound checks for frame constructors; a violation is a programming error (IllegalArgumentException). */
final class Checks {
    private Checks() {}

    /** Checks a string's UTF-8 length against {@code max}; returns that length. */
    static int str(String s, int max, String field) {
        Objects.requireNonNull(s, field);
        int n = Utf8.strictLength(s);
        if (n > max) {
            throw new IllegalArgumentException(field + " is " + n + " bytes of UTF-8, at most " + max + " allowed");
        }
        return n;
    }

    static void bytes(byte[] b, int max, String field) {
        Objects.requireNonNull(b, field);
        if (b.length > max) {
            throw new IllegalArgumentException(field + " is " + b.length + " bytes, at most " + max + " allowed");
        }
    }

    static void u8(int v, String field) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException(field + " must be 0..255, got " + v);
        }
    }

    static void u16(int v, String field) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(field + " must be 0..65535, got " + v);
        }
    }

    /** Checks a list's count and that the whole frame fits (§2: a reply fits in one frame). */
    static void list(java.util.List<?> entries, long payloadLength, String field) {
        if (entries.size() > Limits.LIST_COUNT) {
            throw new IllegalArgumentException(field + " has " + entries.size() + " entries, at most "
                    + Limits.LIST_COUNT + " allowed");
        }
        if (payloadLength > Protocol.MAX_FRAME_LENGTH - Protocol.MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException(field + " does not fit in one frame; use fitting(...)");
        }
    }
}
