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

    public byte[] toBytes() {
        return ByteBuffer.allocate(LENGTH).putLong(hi).putLong(lo).array();
    }
}
