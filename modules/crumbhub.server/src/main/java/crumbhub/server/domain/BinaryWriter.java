package crumbhub.server.domain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Growable big-endian buffer for the server's own record and snapshot encodings. Single-threaded. */
final class BinaryWriter {
    private byte[] buf;
    private int size;

    BinaryWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    BinaryWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    BinaryWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    BinaryWriter u16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    BinaryWriter i32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    BinaryWriter i64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    /** A string as {@code u16 length} + UTF-8. */
    BinaryWriter str(String s) {
        int n = s.length();
        if (n <= 0xFFFF && isAscii(s)) {
            // names and most strings: UTF-8 is the chars themselves, written without a temporary array
            u16(n);
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[size++] = (byte) s.charAt(i);
            }
            return this;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("string too long for encoding: " + b.length);
        }
        u16(b.length);
        return raw(b);
    }

    private static boolean isAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Bytes as {@code i32 length} + bytes. */
    BinaryWriter bytes(byte[] b) {
        i32(b.length);
        return raw(b);
    }

    /** Fixed-length bytes with no prefix; the reader must know the length. */
    BinaryWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    int size() {
        return size;
    }

    /** The bytes written: the buffer itself if they fill it exactly (no copy), else a copy. */
    byte[] toByteArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    /** Bytes {@link #str} writes for {@code s}. */
    static int strLength(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return 2 + n;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) size + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("encoding exceeds 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }
}
