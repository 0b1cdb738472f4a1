package crumbhub.wire;

import java.nio.ByteBuffer;

/**
 * Reads the fields of one frame whose bytes are all present, between absolute positions
 * {@code pos} and {@code end} of a big-endian buffer. Every read checks the frame's remaining
 * bytes, and every length its bound, before anything is allocated.
 */
final class FieldReader {
    private final ByteBuffer b;
    private final int end;
    private final int requestId;
    private final int type;
    private int pos;

    FieldReader(ByteBuffer b, int pos, int end, int requestId, int type) {
        this.b = b;
        this.pos = pos;
        this.end = end;
        this.requestId = requestId;
        this.type = type;
    }

    MalformedFrameException malformed(String message) {
        return new MalformedFrameException(requestId, FrameType.describe(type) + ": " + message);
    }

    private void need(int n, String field) throws MalformedFrameException {
        if (end - pos < n) {
            throw malformed(field + " runs past the end of the frame");
        }
    }

    int u8(String field) throws MalformedFrameException {
        need(1, field);
        return b.get(pos++) & 0xFF;
    }

    int u16(String field) throws MalformedFrameException {
        need(2, field);
        int v = b.getShort(pos) & 0xFFFF;
        pos += 2;
        return v;
    }

    int u32(String field) throws MalformedFrameException {
        need(4, field);
        int v = b.getInt(pos);
        pos += 4;
        return v;
    }

    long u64(String field) throws MalformedFrameException {
        need(8, field);
        long v = b.getLong(pos);
        pos += 8;
        return v;
    }

    /** A u8 that must be 0 or 1. */
    boolean flag(String field) throws MalformedFrameException {
        int v = u8(field);
        if (v > 1) {
            throw malformed(field + " must be 0 or 1, got " + v);
        }
        return v == 1;
    }

    String str8(int max, String field) throws MalformedFrameException {
        return str(length(1, field), max, field);
    }

    String str16(int max, String field) throws MalformedFrameException {
        return str(length(2, field), max, field);
    }

    /**
     * A u8 ({@code width} 1) or u16 length prefix of {@code field}. The field's name is extended
     * only for an error message: every string and byte field of every frame is read here.
     */
    private int length(int width, String field) throws MalformedFrameException {
        if (end - pos < width) {
            throw malformed(field + " length runs past the end of the frame");
        }
        int v = width == 1 ? b.get(pos) & 0xFF : b.getShort(pos) & 0xFFFF;
        pos += width;
        return v;
    }

    private String str(int n, int max, String field) throws MalformedFrameException {
        bound(n, max, field);
        need(n, field);
        if (!Utf8.isValid(b, pos, n)) {
            throw malformed(field + " is not valid UTF-8");
        }
        String s = Utf8.decode(b, pos, n);
        pos += n;
        return s;
    }

    byte[] bytes8(int max, String field) throws MalformedFrameException {
        return bytes(length(1, field), max, field);
    }

    byte[] bytes16(int max, String field) throws MalformedFrameException {
        return bytes(length(2, field), max, field);
    }

    private byte[] bytes(int n, int max, String field) throws MalformedFrameException {
        bound(n, max, field);
        need(n, field);
        byte[] out = new byte[n];
        b.get(pos, out);
        pos += n;
        return out;
    }

    private void bound(int n, int max, String field) throws MalformedFrameException {
        if (n > max) {
            throw malformed(field + " is " + n + " bytes, at most " + max + " allowed");
        }
    }

    MessageId id16(String field) throws MalformedFrameException {
        need(Limits.MESSAGE_ID, field);
        MessageId id = new MessageId(b.getLong(pos), b.getLong(pos + 8));
        pos += Limits.MESSAGE_ID;
        return id;
    }

    DeviceToken token(String field) throws MalformedFrameException {
        need(Limits.TOKEN, field);
        DeviceToken t = DeviceToken.read(b, pos);
        pos += Limits.TOKEN;
        return t;
    }

    /**
     * A list count: at most {@link Limits#LIST_COUNT}, and no more entries than the frame's
     * remaining bytes could hold at {@code minEntry} bytes each, so a lying count cannot make the
     * decoder allocate.
     */
    int count(int minEntry, String field) throws MalformedFrameException {
        int n = u16(field + " count");
        if (n > Limits.LIST_COUNT) {
            throw malformed(field + " has " + n + " entries, at most " + Limits.LIST_COUNT + " allowed");
        }
        if ((long) n * minEntry > end - pos) {
            throw malformed(field + " claims " + n + " entries, more than the frame holds");
        }
        return n;
    }

    /** Bytes of the frame not read yet. */
    int remaining() {
        return end - pos;
    }

    void skipRest() {
        pos = end;
    }

    void requireEnd() throws MalformedFrameException {
        if (pos != end) {
            throw malformed((end - pos) + " trailing bytes");
        }
    }
}
