package crumbhub.server.domain;

/**
 * A sender-chosen 16-byte message id as it is stored in changes, read as two big-endian longs
 * for the de-duplication window ({@link SentLog}) without allocating.
 */
final class MessageId {
    static final int LENGTH = 16;

    private MessageId() {}

    /** The first 8 bytes of a 16-byte id, big-endian. */
    static long high(byte[] id) {
        return half(id, 0);
    }

    /** The last 8 bytes of a 16-byte id, big-endian. */
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
}
