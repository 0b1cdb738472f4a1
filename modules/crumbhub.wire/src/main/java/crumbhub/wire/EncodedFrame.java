package crumbhub.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A frame encoded once (docs/protocol.md §2, its length field included) so that it can be queued
 * unchanged on any number of connections: a room message's {@code DELIVER} is the same bytes for
 * every recipient, so the server encodes it once per message instead of once per recipient, and
 * every recipient's queue shares the one array.
 *
 * <p>Immutable and thread-safe: the encoding is never handed out, only copied into a buffer.
 */
public final class EncodedFrame {
    private final Frame frame;
    private final byte[] bytes;

    private EncodedFrame(Frame frame, byte[] bytes) {
        this.frame = frame;
        this.bytes = bytes;
    }

    /** Encodes {@code frame}; the frame itself is kept for {@link #frame()}. */
    public static EncodedFrame of(Frame frame) {
        return new EncodedFrame(frame, FrameCodec.encode(Objects.requireNonNull(frame, "frame")));
    }

    /** The frame these bytes encode. */
    public Frame frame() {
        return frame;
    }

    /** Bytes of the encoding, the length field included (what {@link FrameCodec#encodedLength} says). */
    public int length() {
        return bytes.length;
    }

    /**
     * Copies the encoding to the buffer's position and advances it.
     *
     * @throws BufferOverflowException if fewer than {@link #length()} bytes remain; nothing is written then
     */
    public void writeTo(ByteBuffer out) {
        out.put(bytes);
    }

    @Override
    public String toString() {
        return "EncodedFrame[" + frame.typeName() + ", " + bytes.length + " bytes]";
    }
}
