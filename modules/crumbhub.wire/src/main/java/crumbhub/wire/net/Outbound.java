package crumbhub.wire.net;

import crumbhub.crypto.noise.CipherState;
import crumbhub.crypto.noise.NoiseException;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.EncodedFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.Protocol;
import crumbhub.wire.ProtocolException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;

/**
 * A connection's outbound side: frames waiting for the next flush, and ciphertext the socket has
 * not taken yet. A flush packs waiting frames into as few Noise messages as fit (each plaintext
 * at most 65,519 bytes), encrypts them into the loop's write slots and hands them to the socket in
 * one gathering write; whatever the socket leaves is copied into one buffer owned by the
 * connection, and no more frames are encrypted until that buffer has drained, so a slow peer
 * costs its queued frames (which share their bodies with other connections), not ciphertext copies.
 *
 * <p>{@link #bytes()} counts queued frames at their encoded size plus unwritten ciphertext; it is
 * updated atomically so other threads can reserve room in {@link #tryReserve}. Everything else is
 * loop-thread only.
 */
final class Outbound {
    /** Above this send nonce (2^64 − 2, unsigned) the connection closes (§1: before 2^64 − 1). */
    private static final long NONCE_LIMIT = 0xFFFF_FFFF_FFFF_FFFEL;
    private static final int MESSAGE_OVERHEAD = Protocol.LENGTH_PREFIX + Protocol.TAG_LENGTH;

    /** {@link Frame}s (encoded at the flush) and {@link EncodedFrame}s (copied), in send order. */
    private static final VarHandle BYTES;

    static {
        try {
            BYTES = MethodHandles.lookup().findVarHandle(Outbound.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Created when the first frame is queued; dropped by {@link #compact()} while empty. */
    private ArrayDeque<Object> frames;
    /** See {@link #bytes()}; updated through {@link #BYTES}. */
    private volatile long bytes;
    private final long rekeyInterval;
    private ByteBuffer unwritten;
    /** The socket left bytes unwritten: write only those until it takes them. */
    private boolean blocked;
    private long messagesSent;

    Outbound(long rekeyInterval) {
        this.rekeyInterval = rekeyInterval;
    }

    long bytes() {
        return bytes;
    }

    /** Transport messages encrypted so far. */
    long messagesSent() {
        return messagesSent;
    }

    /** Reserves room for {@code size} bytes unless that would pass {@code hardLimit}. Any thread. */
    boolean tryReserve(int size, long hardLimit) {
        long cur;
        do {
            cur = bytes;
            if (cur + size > hardLimit) {
                return false;
            }
        } while (!BYTES.compareAndSet(this, cur, cur + size));
        return true;
    }

    /** Gives back a reservation whose frame will never be queued. Any thread. */
    void release(int size) {
        count(-size);
    }

    /** Queues a {@link Frame} or an {@link EncodedFrame} whose size was reserved. */
    void add(Object frame) {
        if (frames == null) {
            frames = new ArrayDeque<>(8);
        }
        frames.add(frame);
    }

    /** Adjusts the count by {@code delta} bytes. Any thread. */
    private void count(long delta) {
        BYTES.getAndAdd(this, delta);
    }

    /** Drops the empty frame queue of a quiet connection; the next frame creates it again. */
    void compact() {
        if (frames != null && frames.isEmpty()) {
            frames = null;
        }
    }

    /** Encoded bytes of a queued item, a {@link Frame} or an {@link EncodedFrame}. */
    static int sizeOf(Object frame) {
        return frame instanceof EncodedFrame e ? e.length() : FrameCodec.encodedLength((Frame) frame);
    }

    boolean hasFrames() {
        return frames != null && !frames.isEmpty();
    }

    boolean isEmpty() {
        return !hasFrames() && unwritten == null;
    }

    /** Queues an already-processed handshake message, with its length prefix, ahead of any frame. */
    void addHandshakeMessage(byte[] message) {
        ByteBuffer b = ByteBuffer.allocate(Protocol.LENGTH_PREFIX + message.length);
        b.putShort((short) message.length).put(message).flip();
        count(b.remaining());
        appendUnwritten(b);
    }

    private void appendUnwritten(ByteBuffer more) {
        if (unwritten == null) {
            unwritten = more;
            return;
        }
        ByteBuffer joined = ByteBuffer.allocate(unwritten.remaining() + more.remaining());
        joined.put(unwritten).put(more).flip();
        unwritten = joined;
    }

    /**
     * Writes what the socket takes. With {@code cipher} null (during the handshake) only
     * handshake messages are written and frames wait.
     *
     * @return false if the socket left bytes unwritten (wait until it is writable), else true
     */
    boolean flush(GatheringByteChannel ch, CipherState cipher, LoopBuffers buffers)
            throws IOException, ProtocolException {
        if (unwritten != null && (blocked || cipher == null || !hasFrames())) {
            count(-ch.write(unwritten));
            if (unwritten.hasRemaining()) {
                blocked = true;
                return false;
            }
            unwritten = null;
            blocked = false;
        }
        if (cipher == null) {
            return true;
        }
        ByteBuffer[] slots = buffers.slots;
        ByteBuffer[] gather = buffers.gather;
        while (hasFrames()) {
            int n = 0;
            if (unwritten != null) {
                gather[n++] = unwritten; // handshake message 3 leaves in the same write as the first frames
            }
            for (int used = 0; used < slots.length && hasFrames(); used++) {
                seal(cipher, buffers.outPlain, slots[used]);
                gather[n++] = slots[used];
            }
            count(-ch.write(gather, 0, n));
            unwritten = null;
            if (gather[n - 1].hasRemaining()) {
                keepUnwritten(gather, n);
                blocked = true;
                return false;
            }
        }
        return true;
    }

    /** Packs waiting frames into one plaintext and encrypts it into {@code slot} behind its length. */
    private void seal(CipherState cipher, ByteBuffer plain, ByteBuffer slot) throws ProtocolException {
        plain.clear();
        Object item;
        while ((item = frames.peek()) != null) {
            if (item instanceof EncodedFrame e) {
                if (e.length() > plain.remaining()) {
                    break;
                }
                e.writeTo(plain);
            } else {
                Frame f = (Frame) item;
                if (FrameCodec.encodedLength(f) > plain.remaining()) {
                    break;
                }
                FrameCodec.encode(f, plain);
            }
            frames.poll();
        }
        plain.flip();
        if (Long.compareUnsigned(cipher.nonce(), NONCE_LIMIT) >= 0) {
            throw new ProtocolException(Kind.NONCE_EXHAUSTED, "send nonce exhausted");
        }
        slot.clear().position(Protocol.LENGTH_PREFIX);
        int length;
        try {
            length = cipher.encrypt(plain, slot);
        } catch (NoiseException e) {
            throw new ProtocolException(Kind.NONCE_EXHAUSTED, "cannot encrypt: " + e.getMessage());
        }
        slot.putShort(0, (short) length).flip();
        count(MESSAGE_OVERHEAD);
        messagesSent++;
        if (Long.remainderUnsigned(cipher.nonce(), rekeyInterval) == 0) {
            cipher.rekey(); // §1: after every rekeyInterval messages in this direction
        }
    }

    private void keepUnwritten(ByteBuffer[] buffers, int count) {
        int left = 0;
        for (int i = 0; i < count; i++) {
            left += buffers[i].remaining();
        }
        ByteBuffer keep = ByteBuffer.allocate(left);
        for (int i = 0; i < count; i++) {
            keep.put(buffers[i]);
        }
        unwritten = keep.flip();
    }

    /**
     * Drops everything queued and takes it off the count. Frames other threads have reserved room
     * for but that have not arrived yet give their room back when they do (or are abandoned).
     */
    void discard() {
        long dropped = unwritten == null ? 0 : unwritten.remaining();
        Object f;
        while (frames != null && (f = frames.poll()) != null) {
            dropped += sizeOf(f);
        }
        unwritten = null;
        blocked = false;
        count(-dropped);
    }
}
