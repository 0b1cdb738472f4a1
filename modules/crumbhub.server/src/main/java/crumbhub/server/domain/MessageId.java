package crumbhub.server.domain;

import java.nio.ByteBuffer;

/** A sender-chosen 16-byte message id as a value, for de-duplication maps. */
public record MessageId(long hi, long lo) {
    public static final int LENGTH = 16;

    public static MessageId of(byte[] id) {
        if (id.length != LENGTH) {
            throw new IllegalArgumentException("message id must be 16 bytes");
        }
        var b = ByteBuffer.wrap(id);
        return new MessageId(b.getLong(), b.getLong());
    }

    /** The first 8 bytes of a 16-byte id, big-endian, as {@link #hi()}; allocates nothing. */
    static long high(byte[] id) {
        return half(id, 0);
    }

    /** The last 8 bytes of a 16-byte id, big-endian, as {@link #lo()}; allocates nothing. */
    static long low(byte[] id) {
        return half(id, 8);
    }

    private static long half(byte[] id, int from) {
        if (id.length != LENGTH) {
            throw new IllegalArgumentException("message id must be 16 bytes");
        }
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = v << 8 | (id[i] & 0xFF);
        }
        return v;
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(LENGTH).putLong(hi).putLong(lo).array();
    }
}
