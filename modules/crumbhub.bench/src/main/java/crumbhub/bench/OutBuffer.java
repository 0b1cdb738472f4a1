package crumbhub.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Bytes queued for one plain socket: allocated on first use, grown by doubling up to a hard
 * limit (past which {@link #reserve} refuses, so a peer that stops reading cannot grow memory),
 * and droppable once empty so idle connections hold nothing. Loop thread only.
 */
final class OutBuffer {
    private static final int INITIAL = 1024;
    private final int limit;
    private ByteBuffer buf;

    OutBuffer(int limit) {
        this.limit = limit;
    }

    /**
     * Makes room for {@code n} more bytes and returns the buffer (in write mode) to put them in,
     * or null if that would pass the limit.
     */
    ByteBuffer reserve(int n) {
        if (buf == null) {
            buf = ByteBuffer.allocate(Math.min(limit, Math.max(INITIAL, Integer.highestOneBit(n) << 1)));
        }
        if (buf.remaining() >= n) {
            return buf;
        }
        int needed = buf.position() + n;
        if (needed > limit) {
            return null;
        }
        int cap = buf.capacity();
        while (cap < needed) {
            cap <<= 1;
        }
        var bigger = ByteBuffer.allocate(Math.min(cap, limit));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
        return buf;
    }

    /** Bytes queued. */
    int size() {
        return buf == null ? 0 : buf.position();
    }

    /**
     * Writes what the channel takes now.
     *
     * @return whether everything queued was written
     */
    boolean writeTo(WritableByteChannel channel) throws IOException {
        if (buf == null || buf.position() == 0) {
            return true;
        }
        buf.flip();
        try {
            channel.write(buf);
        } finally {
            buf.compact();
        }
        return buf.position() == 0;
    }

    /** Drops the buffer if it is empty. */
    void trim() {
        if (buf != null && buf.position() == 0) {
            buf = null;
        }
    }

    /** Drops the buffer and whatever it held. */
    void clear() {
        buf = null;
    }
}
