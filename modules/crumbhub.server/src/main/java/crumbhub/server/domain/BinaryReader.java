package crumbhub.server.domain;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reader for {@link BinaryWriter} encodings. Every length is checked against
 * what remains before allocating; any violation is a {@link CorruptStateException}.
 */
final class BinaryReader {
    private final byte[] buf;
    private int pos;

    BinaryReader(byte[] buf) {
        this.buf = buf;
    }

    int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    boolean bool() {
        int v = u8();
        if (v > 1) {
            throw new CorruptStateException("boolean byte is " + v);
        }
        return v == 1;
    }

    int u16() {
        need(2);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int i32() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    long i64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    /** A count that must be in 0..max. */
    int count(int max) {
        int n = i32();
        if (n < 0 || n > max) {
            throw new CorruptStateException("count " + n + " outside 0.." + max);
        }
        return n;
    }

    String str() {
        int n = u16();
        need(n);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, n))
                    .toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new CorruptStateException("invalid UTF-8 in stored string");
        }
    }

    byte[] bytes(int max) {
        int n = i32();
        if (n < 0 || n > max) {
            throw new CorruptStateException("byte string length " + n + " outside 0.." + max);
        }
        return raw(n);
    }

    byte[] raw(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** Throws unless every byte was consumed. */
    void end() {
        if (pos != buf.length) {
            throw new CorruptStateException((buf.length - pos) + " trailing bytes");
        }
    }

    private void need(int n) {
        if (n < 0 || buf.length - pos < n) {
            throw new CorruptStateException("truncated: need " + n + " bytes at offset " + pos);
        }
    }
}
