package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes and decodes frames of docs/protocol.md §2:
 * {@code u16 frameLength, u8 type, u32 requestId, payload}. Stateless and thread-safe; does no I/O.
 * Buffers must be big-endian (the ByteBuffer default). Each record writes and reads its own
 * payload ({@link Frame#write}, its {@link FrameType} entry's reader); this class adds the header.
 *
 * <p>{@link #decode} is resumable: it consumes nothing and returns null until a whole frame is in
 * the buffer, so a caller can append bytes and call it again. It rejects a frame length outside
 * 5..65,517 as soon as the two length bytes arrive, checks every field length against its bound
 * before allocating, and rejects trailing bytes, invalid UTF-8 and undefined enum values.
 *
 * <p>Lengths come from writing the frame to a counting writer. Encoding allocates nothing beyond
 * what it returns: each thread keeps one counting and one buffer writer, reused by every call.
 */
public final class FrameCodec {
    /** Bytes of the u16 frameLength that precedes every frame. */
    public static final int LENGTH_FIELD = 2;
    /** Bytes of type and requestId. */
    static final int HEADER = 5;

    /** Reader failures carry no request id or type; {@link #decode} adds both. */
    private static final BinaryReader.Failure<MalformedFrameException> MALFORMED =
            (what, detail) -> new MalformedFrameException(0, detail);

    /** A thread's writers: encoding never calls itself, so one of each is enough. */
    private record Writers(BinaryWriter counter, BinaryWriter buffer) {}

    private static final ThreadLocal<Writers> WRITERS =
            ThreadLocal.withInitial(() -> new Writers(BinaryWriter.counting(), BinaryWriter.counting()));

    private FrameCodec() {}

    /** This thread's counting writer, set to zero; not reentrant (see {@link Entries#length}). */
    static BinaryWriter counter() {
        return WRITERS.get().counter().recount();
    }

    /** Payload bytes {@link Frame#write} puts out for {@code f}. */
    static int payloadLength(Frame f) {
        BinaryWriter counter = counter();
        f.write(counter);
        return counter.length();
    }

    /** Bytes {@link #encode} writes for {@code f}, its length field included (at most 65,519). */
    public static int encodedLength(Frame f) {
        return LENGTH_FIELD + HEADER + payloadLength(f);
    }

    /** The encoding of {@code f} in a new array. */
    public static byte[] encode(Frame f) {
        int total = encodedLength(f);
        ByteBuffer b = ByteBuffer.allocate(total);
        write(f, total, b);
        return b.array();
    }

    /**
     * Writes {@code f} at the buffer's position and advances it.
     *
     * @throws BufferOverflowException if fewer than {@link #encodedLength} bytes remain; nothing is written then
     */
    public static void encode(Frame f, ByteBuffer out) {
        requireBigEndian(out);
        int total = encodedLength(f);
        if (out.remaining() < total) {
            throw new BufferOverflowException();
        }
        write(f, total, out);
    }

    private static void write(Frame f, int total, ByteBuffer out) {
        out.putShort((short) (total - LENGTH_FIELD));
        out.put((byte) f.typeCode());
        out.putInt(f.requestId());
        f.write(WRITERS.get().buffer().retarget(out));
    }

    private static void requireBigEndian(ByteBuffer b) {
        if (b.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("frame buffers must be big-endian");
        }
    }

    /**
     * Decodes one frame at the buffer's position. On success the position moves past the frame;
     * when the frame is not complete yet, returns null and leaves the position unchanged.
     *
     * @throws MalformedFrameException if the bytes present already break §2 (the position is then unspecified)
     */
    public static Frame decode(ByteBuffer in) throws MalformedFrameException {
        requireBigEndian(in);
        int pos = in.position();
        int avail = in.remaining();
        if (avail < LENGTH_FIELD) {
            return null;
        }
        int frameLength = in.getShort(pos) & 0xFFFF;
        if (frameLength < Protocol.MIN_FRAME_LENGTH || frameLength > Protocol.MAX_FRAME_LENGTH) {
            int requestId = avail >= LENGTH_FIELD + HEADER ? in.getInt(pos + 3) : 0;
            throw new MalformedFrameException(requestId, "frame length " + frameLength + " is outside "
                    + Protocol.MIN_FRAME_LENGTH + ".." + Protocol.MAX_FRAME_LENGTH);
        }
        if (avail < LENGTH_FIELD + frameLength) {
            return null;
        }
        int type = in.get(pos + 2) & 0xFF;
        int requestId = in.getInt(pos + 3);
        int end = pos + LENGTH_FIELD + frameLength;
        var r = BinaryReader.of(in, pos + LENGTH_FIELD + HEADER, end, "frame", MALFORMED);
        FrameType t = FrameType.fromCode(type);
        Frame f;
        try {
            if (t == null) {
                r.skipRest();
                f = new Frame.Unknown(requestId, type);
            } else {
                f = t.read(requestId, r);
            }
            r.end();
        } catch (MalformedFrameException e) {
            throw new MalformedFrameException(requestId, FrameType.describe(type) + ": " + e.getMessage());
        }
        in.position(end);
        return f;
    }
}
