package crumbhub.wire.net;

import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.Protocol;
import crumbhub.wire.ProtocolException;
import crumbhub.wire.WireException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Splits a connection's byte stream into Noise messages, each preceded by its u16 length
 * (docs/protocol.md §1). Messages are handed over straight from the loop's read buffer; only the
 * tail of a message that has not fully arrived is copied into a buffer of its own, sized by the
 * announced length after the sink accepted that length. Loop thread only.
 */
final class Inbound {
    /** Reads per readiness event, so one busy peer cannot starve the others on the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    /** Where whole messages go. */
    interface Sink {
        /** Checks an announced length before any byte of the message is buffered. */
        void checkLength(int length) throws ProtocolException;

        /** One whole message between the buffer's position and limit; may move the position. */
        void onMessage(ByteBuffer message) throws WireException;

        /** Whether further messages should be handled; false once the connection is closing. */
        boolean accepting();
    }

    /** An incomplete message: its prefix and the bytes so far; or just part of the prefix. */
    private ByteBuffer partial;
    /** Whether {@link #partial} holds only (part of) a length prefix. */
    private boolean partialIsPrefix;

    /** Whether part of a message is buffered. */
    boolean hasPartial() {
        return partial != null;
    }

    /**
     * Reads what the channel has and hands every whole message to the sink.
     *
     * @return false at end of stream
     */
    boolean readFrom(ReadableByteChannel ch, ByteBuffer scratch, Sink sink) throws IOException, WireException {
        for (int round = 0; round < MAX_READS_PER_EVENT && sink.accepting(); round++) {
            if (partial != null) {
                int n = ch.read(partial);
                if (n < 0) {
                    return false;
                }
                if (partial.hasRemaining()) {
                    return true;
                }
                completePartial(sink);
                continue;
            }
            scratch.clear();
            int n = ch.read(scratch);
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                return true;
            }
            scratch.flip();
            split(scratch, sink);
            if (n < scratch.capacity()) {
                return true;
            }
        }
        return true;
    }

    private void completePartial(Sink sink) throws WireException {
        if (partialIsPrefix) {
            int length = checkedLength(partial, 0, sink);
            partial = ByteBuffer.allocate(Protocol.LENGTH_PREFIX + length).putShort((short) length);
            partialIsPrefix = false;
            return;
        }
        ByteBuffer message = partial.flip().position(Protocol.LENGTH_PREFIX);
        partial = null;
        sink.onMessage(message);
    }

    private void split(ByteBuffer buf, Sink sink) throws WireException {
        while (buf.remaining() >= Protocol.LENGTH_PREFIX && sink.accepting()) {
            int start = buf.position();
            int length = checkedLength(buf, start, sink);
            int end = start + Protocol.LENGTH_PREFIX + length;
            if (end > buf.limit()) {
                break;
            }
            int limit = buf.limit();
            buf.limit(end).position(start + Protocol.LENGTH_PREFIX);
            sink.onMessage(buf);
            buf.limit(limit).position(end);
        }
        if (buf.hasRemaining() && sink.accepting()) {
            partialIsPrefix = buf.remaining() < Protocol.LENGTH_PREFIX;
            int size = partialIsPrefix
                    ? Protocol.LENGTH_PREFIX
                    : Protocol.LENGTH_PREFIX + (buf.getShort(buf.position()) & 0xFFFF);
            partial = ByteBuffer.allocate(size).put(buf);
        }
    }

    /** The length prefix at {@code at}, after the sink accepted it; §1: 1..65,535. */
    private static int checkedLength(ByteBuffer b, int at, Sink sink) throws ProtocolException {
        int length = b.getShort(at) & 0xFFFF;
        sink.checkLength(length);
        if (length == 0) {
            throw new ProtocolException(Kind.PROTOCOL_ERROR, "zero-length Noise message");
        }
        return length;
    }

    /** Drops any buffered partial message. */
    void clear() {
        partial = null;
        partialIsPrefix = false;
    }
}
