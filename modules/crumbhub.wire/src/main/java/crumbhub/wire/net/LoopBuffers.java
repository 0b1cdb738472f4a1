package crumbhub.wire.net;

import crumbhub.wire.Protocol;
import java.nio.ByteBuffer;

/**
 * Scratch buffers shared by every connection of one event loop thread, so that an idle
 * connection holds no buffers at all: a connection copies out only the bytes the socket did not
 * take, or the tail of a message that has not fully arrived. Reached through a thread-local; used
 * only on loop threads, and never across a call that could re-enter another connection's I/O.
 */
final class LoopBuffers {
    /** One socket read: room for two of the largest Noise messages with their prefixes. */
    static final int READ_SIZE = 2 * (Protocol.LENGTH_PREFIX + Protocol.MAX_NOISE_MESSAGE);
    /** Noise messages encrypted per gathering write. */
    static final int WRITE_SLOTS = 8;

    private static final ThreadLocal<LoopBuffers> LOCAL = ThreadLocal.withInitial(LoopBuffers::new);

    /** Raw bytes from a socket. */
    final ByteBuffer read = ByteBuffer.allocate(READ_SIZE);
    /** The plaintext of one inbound transport message. */
    final ByteBuffer inPlain = ByteBuffer.allocate(Protocol.MAX_PLAINTEXT);
    /** The plaintext of one outbound transport message being assembled. */
    final ByteBuffer outPlain = ByteBuffer.allocate(Protocol.MAX_PLAINTEXT);
    /** Length prefix and ciphertext of the outbound messages of one gathering write. */
    final ByteBuffer[] slots = new ByteBuffer[WRITE_SLOTS];
    /** The buffers of one gathering write: bytes left from the handshake, then the slots. */
    final ByteBuffer[] gather = new ByteBuffer[WRITE_SLOTS + 1];

    private LoopBuffers() {
        for (int i = 0; i < slots.length; i++) {
            slots[i] = ByteBuffer.allocate(Protocol.LENGTH_PREFIX + Protocol.MAX_NOISE_MESSAGE);
        }
    }

    static LoopBuffers get() {
        return LOCAL.get();
    }
}
