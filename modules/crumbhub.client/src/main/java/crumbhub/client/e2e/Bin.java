package crumbhub.client.e2e;

import crumbhub.client.ClientException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary layout of the end-to-end records and message bodies: big-endian integers, strings
 * and byte strings with a length prefix. {@link In} checks every length against what is left
 * before it allocates and {@link In#end()} rejects trailing bytes. Pure; not thread-safe.
 */
final class Bin {
    private Bin() {}

    /** Thrown by {@link In} for bytes that do not parse; callers turn it into their own failure. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    static final class Out {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream(256);

        Out u8(int v) {
            b.write(v);
            return this;
        }

        Out u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Out u32(int v) {
            return u16(v >>> 16).u16(v & 0xFFFF);
        }

        Out u64(long v) {
            return u32((int) (v >>> 32)).u32((int) v);
        }

        Out raw(byte[] v) {
            b.writeBytes(v);
            return this;
        }

        /** {@code u32 n, n bytes}. */
        Out bytes(byte[] v) {
            return u32(v.length).raw(v);
        }

        /** {@code u16 n, n bytes}. */
        Out bytes16(byte[] v) {
            if (v.length > 0xFFFF) {
                throw new IllegalArgumentException("bytes16 over 65535 bytes");
            }
            return u16(v.length).raw(v);
        }

        /** {@code u8 n, n bytes of UTF-8}. */
        Out str8(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            if (u.length > 0xFF) {
                throw new IllegalArgumentException("str8 over 255 bytes");
            }
            return u8(u.length).raw(u);
        }

        /** {@code u16 n, n bytes of UTF-8}. */
        Out str16(String s) {
            return bytes16(s.getBytes(StandardCharsets.UTF_8));
        }

        /** The bytes written; the internal buffer is cleared so secrets do not linger in it. */
        byte[] toByteArray() {
            byte[] out = b.toByteArray();
            b.reset();
            return out;
        }
    }

    static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        private void need(long n) throws Malformed {
            if (n < 0 || buf.length - pos < n) {
                throw new Malformed("truncated at byte " + pos);
            }
        }

        int u8() throws Malformed {
            need(1);
            return buf[pos++] & 0xFF;
        }

        int u16() throws Malformed {
            return (u8() << 8) | u8();
        }

        int u32() throws Malformed {
            return (u16() << 16) | u16();
        }

        long u64() throws Malformed {
            return ((long) u32() << 32) | (u32() & 0xFFFF_FFFFL);
        }

        boolean flag() throws Malformed {
            int v = u8();
            if (v > 1) {
                throw new Malformed("flag " + v);
            }
            return v == 1;
        }

        byte[] raw(int n) throws Malformed {
            need(n);
            byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        }

        /** {@code u32 n, n bytes}, n at most {@code max}. */
        byte[] bytes(int max) throws Malformed {
            long n = u32() & 0xFFFF_FFFFL;
            if (n > max) {
                throw new Malformed("byte string of " + n + " bytes, at most " + max);
            }
            return raw((int) n);
        }

        byte[] bytes16() throws Malformed {
            return raw(u16());
        }

        String str8() throws Malformed {
            return utf8(raw(u8()));
        }

        String str16() throws Malformed {
            return utf8(raw(u16()));
        }

        /** A count of entries that take at least {@code minEntry} bytes each: no more than the rest can hold. */
        int count16(int minEntry) throws Malformed {
            int n = u16();
            need((long) n * minEntry);
            return n;
        }

        int remaining() {
            return buf.length - pos;
        }

        void end() throws Malformed {
            if (pos != buf.length) {
                throw new Malformed((buf.length - pos) + " trailing bytes");
            }
        }

        private static String utf8(byte[] b) throws Malformed {
            var decoder = StandardCharsets.UTF_8.newDecoder();
            try {
                return decoder.decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new Malformed("invalid UTF-8");
            }
        }
    }

    /** A damaged local record: the store error the user sees, naming the record. */
    static ClientException damaged(String record, Exception cause) {
        return ClientException.store("the end-to-end record " + record + " is damaged (" + cause.getMessage()
                + "); log in again as a new device to start over", cause);
    }
}
