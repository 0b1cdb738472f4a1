package crumbhub.crypto.e2ee;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a big-endian binary encoding. Encodings of secret state pass through this buffer, so
 * {@link #toByteArray()} zeroes the internal buffer after copying it out; the caller owns (and
 * zeroes) the result. Not thread-safe; one encoding per instance.
 */
public final class Writer {
    private byte[] buf;
    private int size;

    public Writer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public Writer u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public Writer u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    /** A non-negative int as four bytes (the encodings never use the top bit). */
    public Writer u32(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("u32 field must be non-negative: " + v);
        }
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    /** Exactly {@code length} bytes, no prefix; the reader knows the length. */
    public Writer fixed(byte[] b, int length) {
        if (b.length != length) {
            throw new IllegalArgumentException("expected " + length + " bytes, got " + b.length);
        }
        return raw(b);
    }

    /** Bytes with no prefix, for the last field of an encoding. */
    public Writer raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** A u16 length, then the bytes. */
    public Writer bytes16(byte[] b) {
        u16(b.length);
        return raw(b);
    }

    /** UTF-8 with a u8 length prefix. */
    public Writer str8(String s) {
        var b = s.getBytes(StandardCharsets.UTF_8);
        u8(b.length);
        return raw(b);
    }

    public Writer bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    /** A copy of what was written; the internal buffer is zeroed and this writer is spent. */
    public byte[] toByteArray() {
        var out = Arrays.copyOf(buf, size);
        Arrays.fill(buf, (byte) 0);
        size = 0;
        return out;
    }

    private void ensure(int more) {
        int needed = Math.addExact(size, more);
        if (needed > buf.length) {
            var bigger = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
            Arrays.fill(buf, (byte) 0);
            buf = bigger;
        }
    }
}
