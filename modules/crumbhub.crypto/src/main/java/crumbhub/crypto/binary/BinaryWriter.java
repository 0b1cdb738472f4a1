package crumbhub.crypto.binary;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a big-endian encoding, the counterpart of {@link BinaryReader}. A writer works in one of
 * four modes:
 * <ul>
 *   <li>{@link #growable}: into an array it owns and grows; {@link #toByteArray()} hands the bytes
 *       out. Encodings of secret state pass through it, so every array it lets go of is zeroed.</li>
 *   <li>{@link #into}: at the position of a caller's buffer, which it advances; a full buffer
 *       throws {@link BufferOverflowException}.</li>
 *   <li>{@link #counting}: writes nothing and only counts, so that the length of an encoding comes
 *       from the same code that writes it.</li>
 *   <li>{@link #gathering}: into a list of parts, {@link #parts()}: small fields go into chunks
 *       it allocates, and a byte array of at least {@code shareFrom} bytes becomes a part of its
 *       own, shared, not copied. A large encoding made mostly of arrays the caller keeps anyway
 *       (the server's snapshot of waiting message bodies) then costs a fraction of its size
 *       instead of twice it. Nothing is zeroed in this mode: not for secrets.</li>
 * </ul>
 * A value outside its field's range (a u8 over 255, a str8 over 255 bytes) is a programming error
 * and throws IllegalArgumentException. Strings are written as {@link String#getBytes} would encode
 * them to UTF-8, without a temporary array. Not thread-safe.
 */
public final class BinaryWriter {
    private static final ByteBuffer SPENT = ByteBuffer.allocate(0);

    private final boolean growable;
    /** Where bytes go; null while counting. */
    private ByteBuffer out;
    private int start;
    private int counted;
    /** Gathering mode only (else null): the parts sealed so far, and their total length. */
    private final ArrayList<ByteBuffer> parts;
    private long gathered;
    private final int chunkBytes;
    private final int shareFrom;

    private BinaryWriter(boolean growable, ByteBuffer out) {
        this.growable = growable;
        this.out = out;
        this.start = out == null ? 0 : out.position();
        this.parts = null;
        this.chunkBytes = 0;
        this.shareFrom = Integer.MAX_VALUE;
    }

    private BinaryWriter(int chunkBytes, int shareFrom) {
        this.growable = false;
        this.out = ByteBuffer.allocate(chunkBytes);
        this.parts = new ArrayList<>();
        this.chunkBytes = chunkBytes;
        this.shareFrom = shareFrom;
    }

    /** A writer into an array of {@code initialCapacity} bytes that grows as needed. */
    public static BinaryWriter growable(int initialCapacity) {
        return new BinaryWriter(true, ByteBuffer.allocate(Math.max(16, initialCapacity)));
    }

    /** A writer at the position of {@code out} (big-endian), which it advances. */
    public static BinaryWriter into(ByteBuffer out) {
        return new BinaryWriter(false, bigEndian(out));
    }

    /**
     * A writer into parts ({@link #parts()}): fields go into chunks of {@code chunkBytes}, and
     * every byte array of {@code shareFrom} bytes or more that {@link #raw} (or a length-prefixed
     * write) is given becomes a part of its own. The writer keeps those arrays, so the caller
     * must not change them until the parts are consumed.
     */
    public static BinaryWriter gathering(int chunkBytes, int shareFrom) {
        if (chunkBytes < 16 || shareFrom < 1) {
            throw new IllegalArgumentException("chunks of at least 16 bytes, shared arrays of at least 1");
        }
        return new BinaryWriter(chunkBytes, shareFrom);
    }

    /** A writer that only counts the bytes it is given. */
    public static BinaryWriter counting() {
        return new BinaryWriter(false, null);
    }

    /**
     * Points this (non-growable) writer at the position of {@code out}, so that a caller can keep
     * one writer per thread and encode without allocating one per encoding.
     */
    public BinaryWriter retarget(ByteBuffer out) {
        requireNotGrowable();
        requireNotGathering();
        this.out = bigEndian(out);
        this.start = out.position();
        return this;
    }

    /** Turns this (non-growable) writer into a counting one, from zero. */
    public BinaryWriter recount() {
        requireNotGrowable();
        requireNotGathering();
        out = null;
        counted = 0;
        return this;
    }

    private void requireNotGrowable() {
        if (growable) {
            throw new IllegalStateException("a growable writer owns its array");
        }
    }

    private void requireNotGathering() {
        if (parts != null) {
            throw new IllegalStateException("a gathering writer owns its parts");
        }
    }

    private static ByteBuffer bigEndian(ByteBuffer b) {
        if (b.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("binary encodings are big-endian");
        }
        return b;
    }

    /** Bytes written (or counted) so far. */
    public int length() {
        if (parts != null) {
            return Math.toIntExact(gathered + out.position() - start);
        }
        return out == null ? counted : out.position() - start;
    }

    /** Makes room for {@code n} more bytes; false when only counting. */
    private boolean room(int n) {
        if (out == null) {
            counted = Math.addExact(counted, n);
            return false;
        }
        if (growable && out.remaining() < n) {
            grow(n);
        } else if (parts != null && out.remaining() < n) {
            seal();
            out = ByteBuffer.allocate(Math.max(chunkBytes, n));
            start = 0;
        }
        return true;
    }

    /** Gathering: ends the current part at what is written in the chunk (the chunk's rest stays usable). */
    private void seal() {
        int end = out.position();
        if (end > start) {
            parts.add(out.duplicate().position(start).limit(end).slice().asReadOnlyBuffer());
            gathered += end - start;
            start = end;
        }
    }

    /**
     * Gathering only: the encoding, in order, read-only; the writer is spent afterwards. Parts
     * share the arrays given to {@link #raw} of at least the writer's {@code shareFrom} bytes.
     */
    public List<ByteBuffer> parts() {
        if (parts == null) {
            throw new IllegalStateException("only a gathering writer has parts");
        }
        if (out == SPENT) {
            throw new IllegalStateException("parts were already taken");
        }
        seal();
        out = SPENT;
        return List.copyOf(parts);
    }

    private void grow(int n) {
        long want = Math.max(2L * out.capacity(), (long) out.position() + n);
        if (want > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("encoding exceeds 2 GiB");
        }
        ByteBuffer bigger = ByteBuffer.allocate((int) want);
        bigger.put(out.array(), 0, out.position());
        Arrays.fill(out.array(), (byte) 0);
        out = bigger;
    }

    private static void range(long v, long max, String type) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(type + " out of range: " + v);
        }
    }

    public BinaryWriter u8(int v) {
        range(v, 0xFF, "u8");
        if (room(1)) {
            out.put((byte) v);
        }
        return this;
    }

    public BinaryWriter u16(int v) {
        range(v, 0xFFFF, "u16");
        if (room(2)) {
            out.putShort((short) v);
        }
        return this;
    }

    /** A u32 from an int bit for bit. */
    public BinaryWriter u32(int v) {
        if (room(4)) {
            out.putInt(v);
        }
        return this;
    }

    /** A u32 from a non-negative int (counters and ids that never use the top bit). */
    public BinaryWriter u31(int v) {
        range(v, Integer.MAX_VALUE, "u31");
        return u32(v);
    }

    /** A u64 from a long bit for bit. */
    public BinaryWriter u64(long v) {
        if (room(8)) {
            out.putLong(v);
        }
        return this;
    }

    /** A u8 of 1 or 0. */
    public BinaryWriter flag(boolean v) {
        return u8(v ? 1 : 0);
    }

    /** Bytes with no prefix (a last field, or one whose length the reader knows). */
    public BinaryWriter raw(byte[] b) {
        if (parts != null && b.length >= shareFrom) {
            seal();
            parts.add(ByteBuffer.wrap(b).asReadOnlyBuffer());
            gathered += b.length;
            return this;
        }
        if (room(b.length)) {
            out.put(b);
        }
        return this;
    }

    /** Exactly {@code length} bytes, no prefix; the reader knows the length. */
    public BinaryWriter fixed(byte[] b, int length) {
        if (b.length != length) {
            throw new IllegalArgumentException("expected " + length + " bytes, got " + b.length);
        }
        return raw(b);
    }

    /** A u8 length, then the bytes. */
    public BinaryWriter bytes8(byte[] b) {
        return u8(b.length).raw(b);
    }

    /** A u16 length, then the bytes. */
    public BinaryWriter bytes16(byte[] b) {
        return u16(b.length).raw(b);
    }

    /** A u32 length, then the bytes. */
    public BinaryWriter bytes32(byte[] b) {
        return u32(b.length).raw(b);
    }

    /** A u8 length, then UTF-8. */
    public BinaryWriter str8(String s) {
        return str(s, 1, 0xFF);
    }

    /** A u16 length, then UTF-8. */
    public BinaryWriter str16(String s) {
        return str(s, 2, 0xFFFF);
    }

    private BinaryWriter str(String s, int width, int max) {
        int n = Utf8.length(s);
        if (n > max) {
            throw new IllegalArgumentException("string of " + n + " bytes over its " + max + "-byte prefix");
        }
        if (room(width + n)) {
            if (width == 1) {
                out.put((byte) n);
            } else {
                out.putShort((short) n);
            }
            Utf8.encode(s, out);
        }
        return this;
    }

    /**
     * The bytes written; a growable writer is spent afterwards. When they fill the array exactly,
     * the array itself is returned (no copy); otherwise a copy, and the array is zeroed.
     */
    public byte[] toByteArray() {
        if (!growable) {
            throw new IllegalStateException("only a growable writer owns its bytes");
        }
        byte[] buf = out.array();
        int size = out.position();
        out = SPENT;
        if (size == buf.length) {
            return buf;
        }
        byte[] copy = Arrays.copyOf(buf, size);
        Arrays.fill(buf, (byte) 0);
        return copy;
    }
}
