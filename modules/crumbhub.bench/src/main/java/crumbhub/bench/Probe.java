package crumbhub.bench;

import java.util.Arrays;

/**
 * What a bench message carries so its receiver can measure it: the run it belongs to, the step,
 * the sending client, a per-sender sequence number and the sender's {@link System#nanoTime()}
 * (sender and receivers share one process, hence one clock). The rest of the body is filler up
 * to {@code --size}.
 *
 * <p>Two encodings of the same fields: binary for CrumbHub (the body is opaque bytes, alg 0,
 * which the server cannot tell from ciphertext) and printable hex for an IRC {@code PRIVMSG}.
 * Both are {@value #HEADER} bytes before the filler, so {@code --size} means the same on both
 * targets.
 *
 * <p>A mutable holder: a receiver decodes into one reused instance per event loop, so measuring
 * a delivery allocates nothing. Not thread-safe.
 */
public final class Probe {
    /** Bytes before the filler in either encoding; the smallest {@code --size}. */
    public static final int HEADER = 56;
    private static final byte[] MAGIC = {'C', 'H', 'B', '1'};
    private static final byte FILLER = '.';
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public int run;
    public int step;
    public int sender;
    public long seq;
    public long sentNanos;

    /** Sets every field; returns this. */
    public Probe set(int run, int step, int sender, long seq, long sentNanos) {
        this.run = run;
        this.step = step & 0xFFFF;
        this.sender = sender;
        this.seq = seq;
        this.sentNanos = sentNanos;
        return this;
    }

    // ---- binary (CrumbHub body) -----------------------------------------------------------------

    /** A new body of {@code size} bytes: magic, run, step, sender, seq, nanos, then filler. */
    public byte[] toBinary(int size) {
        requireSize(size);
        byte[] b = new byte[size];
        System.arraycopy(MAGIC, 0, b, 0, 4);
        putLong(b, 4, run, 4);
        putLong(b, 8, step, 2);
        putLong(b, 10, sender, 4);
        putLong(b, 14, seq, 8);
        putLong(b, 22, sentNanos, 8);
        Arrays.fill(b, 30, size, FILLER);
        return b;
    }

    /** Reads a binary body; false (fields unchanged or partly set) if it is not a bench body. */
    public boolean fromBinary(byte[] b) {
        if (b.length < HEADER || !startsWithMagic(b, 0)) {
            return false;
        }
        run = (int) getLong(b, 4, 4);
        step = (int) getLong(b, 8, 2);
        sender = (int) getLong(b, 10, 4);
        seq = getLong(b, 14, 8);
        sentNanos = getLong(b, 22, 8);
        return true;
    }

    private static void putLong(byte[] b, int off, long v, int len) {
        for (int i = len - 1; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    // ---- text (IRC PRIVMSG) ---------------------------------------------------------------------

    /**
     * Writes {@code size} printable ASCII bytes into {@code out} at {@code off}: magic, then run (8
     * hex digits), step (4), sender (8), seq (16), nanos (16), then filler. No spaces, so IRC
     * servers pass it through unchanged.
     */
    public void toText(byte[] out, int off, int size) {
        requireSize(size);
        System.arraycopy(MAGIC, 0, out, off, 4);
        putHex(out, off + 4, run, 8);
        putHex(out, off + 12, step, 4);
        putHex(out, off + 16, sender, 8);
        putHex(out, off + 24, seq, 16);
        putHex(out, off + 40, sentNanos, 16);
        Arrays.fill(out, off + HEADER, off + size, FILLER);
    }

    /**
     * Reads a text body from {@code len} bytes at {@code off}; false (fields unchanged) if it is
     * not a bench body.
     */
    public boolean fromText(byte[] in, int off, int len) {
        if (len < HEADER || !startsWithMagic(in, off)) {
            return false;
        }
        if (!validHex(in, off + 4, HEADER - 4)) {
            return false;
        }
        long r = getHex(in, off + 4, 8);
        long st = getHex(in, off + 12, 4);
        long se = getHex(in, off + 16, 8);
        long sq = getHex(in, off + 24, 16);
        long ns = getHex(in, off + 40, 16);
        run = (int) r;
        step = (int) st;
        sender = (int) se;
        seq = sq;
        sentNanos = ns;
        return true;
    }

    private static boolean startsWithMagic(byte[] b, int off) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[off + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void putHex(byte[] out, int off, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[off + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }

    private static long getHex(byte[] in, int off, int digits) {
        long v = 0;
        for (int i = 0; i < digits; i++) {
            int c = in[off + i];
            v = (v << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return v;
    }

    private static boolean validHex(byte[] in, int off, int digits) {
        for (int i = 0; i < digits; i++) {
            byte c = in[off + i];
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static void requireSize(int size) {
        if (size < HEADER) {
            throw new IllegalArgumentException("a bench message needs at least " + HEADER + " bytes, got " + size);
        }
    }
}
