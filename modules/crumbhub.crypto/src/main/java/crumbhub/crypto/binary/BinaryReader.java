package crumbhub.crypto.binary;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reads a big-endian encoding from untrusted bytes, between two absolute positions of a buffer.
 * Every read checks the bytes left, and every length its bound, before anything is allocated;
 * {@link #end()} rejects trailing bytes. A failure is the caller's exception type {@code E}, made
 * by the {@link Failure} given at construction, with a message that names the field (when the
 * caller names it) and never contains the input. Methods without a {@code field} argument name it
 * "a field".
 *
 * <p>Not thread-safe: one reader per decoding. Reading does not move the buffer's position.
 *
 * @param <E> the exception this layer throws for input that does not parse
 */
public final class BinaryReader<E extends Exception> {

    /** Makes a layer's exception for input that does not parse. */
    @FunctionalInterface
    public interface Failure<E extends Exception> {
        /**
         * @param what   the input, as given to the reader ("frame", "ratchet message")
         * @param detail what is wrong with it; holds no input bytes
         */
        E malformed(String what, String detail);
    }

    private final ByteBuffer in;
    private final int end;
    private final String what;
    private final Failure<E> failure;
    private int pos;

    private BinaryReader(ByteBuffer in, int pos, int end, String what, Failure<E> failure) {
        if (in.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("binary encodings are big-endian");
        }
        if (pos < 0 || pos > end || end > in.limit()) {
            throw new IndexOutOfBoundsException("range " + pos + ".." + end + " outside the buffer");
        }
        this.in = in;
        this.pos = pos;
        this.end = end;
        this.what = Objects.requireNonNull(what, "what");
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** A reader of all of {@code in}; {@code what} names the input in failures. */
    public static <E extends Exception> BinaryReader<E> of(byte[] in, String what, Failure<E> failure) {
        return new BinaryReader<>(ByteBuffer.wrap(in), 0, in.length, what, failure);
    }

    /** A reader of the bytes between absolute positions {@code from} and {@code to} of a big-endian buffer. */
    public static <E extends Exception> BinaryReader<E> of(ByteBuffer in, int from, int to, String what,
                                                           Failure<E> failure) {
        return new BinaryReader<>(in, from, to, what, failure);
    }

    /** The layer's exception for {@code detail}, for checks the caller makes on values it read. */
    public E malformed(String detail) {
        return failure.malformed(what, detail);
    }

    private static String label(String field) {
        return field == null ? "a field" : field;
    }

    private void need(int n, String field) throws E {
        if (end - pos < n) {
            throw malformed(label(field) + " runs past the end of the " + what);
        }
    }

    public int u8() throws E {
        return u8(null);
    }

    public int u8(String field) throws E {
        need(1, field);
        return in.get(pos++) & 0xFF;
    }

    public int u16() throws E {
        return u16(null);
    }

    public int u16(String field) throws E {
        need(2, field);
        int v = in.getShort(pos) & 0xFFFF;
        pos += 2;
        return v;
    }

    /** A u32 held in an int bit for bit. */
    public int u32() throws E {
        return u32(null);
    }

    /** A u32 held in an int bit for bit. */
    public int u32(String field) throws E {
        need(4, field);
        int v = in.getInt(pos);
        pos += 4;
        return v;
    }

    /** A u32 that must fit a non-negative int (counters and ids that never use the top bit). */
    public int u31() throws E {
        return u31(null);
    }

    /** A u32 that must fit a non-negative int (counters and ids that never use the top bit). */
    public int u31(String field) throws E {
        int v = u32(field);
        if (v < 0) {
            throw malformed(label(field) + " is out of range");
        }
        return v;
    }

    /** A u64 held in a long bit for bit. */
    public long u64() throws E {
        return u64(null);
    }

    /** A u64 held in a long bit for bit. */
    public long u64(String field) throws E {
        need(8, field);
        long v = in.getLong(pos);
        pos += 8;
        return v;
    }

    /** A u8 that must be 0 or 1. */
    public boolean flag() throws E {
        return flag(null);
    }

    /** A u8 that must be 0 or 1. */
    public boolean flag(String field) throws E {
        int v = u8(field);
        if (v > 1) {
            throw malformed(label(field) + " must be 0 or 1, got " + v);
        }
        return v == 1;
    }

    /** A u8 that must equal {@code expected}: the version byte that leads an encoding. */
    public void version(int expected) throws E {
        int v = u8("version");
        if (v != expected) {
            throw malformed("unsupported version " + v);
        }
    }

    /** Exactly {@code n} bytes, no prefix. */
    public byte[] fixed(int n) throws E {
        return fixed(n, null);
    }

    /** Exactly {@code n} bytes, no prefix. */
    public byte[] fixed(int n, String field) throws E {
        if (n < 0) {
            throw new IllegalArgumentException("negative length " + n);
        }
        need(n, field);
        byte[] out = new byte[n];
        in.get(pos, out);
        pos += n;
        return out;
    }

    /** A u8 length, then at most {@code max} bytes. */
    public byte[] bytes8(int max) throws E {
        return bytes8(max, null);
    }

    /** A u8 length, then at most {@code max} bytes. */
    public byte[] bytes8(int max, String field) throws E {
        return fixed(bounded(length(1, field), max, field), field);
    }

    /** A u16 length, then as many bytes. */
    public byte[] bytes16() throws E {
        return bytes16(0xFFFF, null);
    }

    /** A u16 length, then at most {@code max} bytes. */
    public byte[] bytes16(int max) throws E {
        return bytes16(max, null);
    }

    /** A u16 length, then at most {@code max} bytes. */
    public byte[] bytes16(int max, String field) throws E {
        return fixed(bounded(length(2, field), max, field), field);
    }

    /** A u32 length, then at most {@code max} bytes. */
    public byte[] bytes32(int max) throws E {
        return bytes32(max, null);
    }

    /** A u32 length, then at most {@code max} bytes. */
    public byte[] bytes32(int max, String field) throws E {
        return fixed(bounded(length(4, field), max, field), field);
    }

    /** A u8 length, then as many bytes of UTF-8. */
    public String str8() throws E {
        return str8(0xFF, null);
    }

    /** A u8 length, then at most {@code max} bytes of UTF-8. */
    public String str8(int max) throws E {
        return str8(max, null);
    }

    /** A u8 length, then at most {@code max} bytes of UTF-8. */
    public String str8(int max, String field) throws E {
        return str(bounded(length(1, field), max, field), field);
    }

    /** A u16 length, then as many bytes of UTF-8. */
    public String str16() throws E {
        return str16(0xFFFF, null);
    }

    /** A u16 length, then at most {@code max} bytes of UTF-8. */
    public String str16(int max) throws E {
        return str16(max, null);
    }

    /** A u16 length, then at most {@code max} bytes of UTF-8. */
    public String str16(int max, String field) throws E {
        return str(bounded(length(2, field), max, field), field);
    }

    /**
     * A u16 count of entries that take at least {@code minEntry} bytes each: at most {@code max},
     * and no more than the bytes left could hold, so that a lying count cannot make the caller
     * allocate.
     */
    public int count16(int max, int minEntry) throws E {
        return count16(max, minEntry, null);
    }

    /** As {@link #count16(int, int)}, naming the list in failures. */
    public int count16(int max, int minEntry, String field) throws E {
        return plausible(boundedCount(count(2, field), max, field), minEntry, field);
    }

    /** A u32 count of at most {@code max} entries. */
    public int count32(int max) throws E {
        return boundedCount(prefix(4, null, " count runs past the end of the "), max, null);
    }

    /** A u8 count of entries that take at least {@code minEntry} bytes each (see {@link #count16(int, int)}). */
    public int count8(int minEntry, String field) throws E {
        return plausible(count(1, field), minEntry, field);
    }

    private int plausible(int n, int minEntry, String field) throws E {
        if ((long) n * minEntry > end - pos) {
            throw malformed(label(field) + " claims " + n + " entries, more than the " + what + " holds");
        }
        return n;
    }

    /** A u8 or u16 entry count; the message is built only on failure. */
    private int count(int width, String field) throws E {
        return prefix(width, field, " count runs past the end of the ");
    }

    /** A u8, u16 or u32 length prefix; a u32 length above Integer.MAX_VALUE comes back negative. */
    private int length(int width, String field) throws E {
        return prefix(width, field, " length runs past the end of the ");
    }

    private int prefix(int width, String field, String failure) throws E {
        if (end - pos < width) {
            throw malformed(label(field) + failure + what);
        }
        int v = switch (width) {
            case 1 -> in.get(pos) & 0xFF;
            case 2 -> in.getShort(pos) & 0xFFFF;
            default -> in.getInt(pos);
        };
        pos += width;
        return v;
    }

    /** A byte length {@code n} (negative: a u32 above Integer.MAX_VALUE) checked against {@code max}. */
    private int bounded(int n, int max, String field) throws E {
        if (n < 0 || n > max) {
            throw malformed(label(field) + " is " + Integer.toUnsignedString(n) + " bytes, at most " + max + " allowed");
        }
        return n;
    }

    /** An entry count {@code n} (negative: a u32 above Integer.MAX_VALUE) checked against {@code max}. */
    private int boundedCount(int n, int max, String field) throws E {
        if (n < 0 || n > max) {
            throw malformed(label(field) + " has " + Integer.toUnsignedString(n) + " entries, at most " + max + " allowed");
        }
        return n;
    }

    private String str(int n, String field) throws E {
        need(n, field);
        if (!Utf8.isValid(in, pos, n)) {
            throw malformed(label(field) + " is not valid UTF-8");
        }
        String s = Utf8.decode(in, pos, n);
        pos += n;
        return s;
    }

    /** Everything left, for a last field whose length is implied. */
    public byte[] rest() {
        byte[] out = new byte[end - pos];
        in.get(pos, out);
        pos = end;
        return out;
    }

    /** Bytes not read yet. */
    public int remaining() {
        return end - pos;
    }

    /** Skips every byte not read yet. */
    public void skipRest() {
        pos = end;
    }

    /** Rejects trailing bytes. */
    public void end() throws E {
        if (pos != end) {
            throw malformed((end - pos) + " trailing bytes");
        }
    }
}
