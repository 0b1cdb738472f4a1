package crumbhub.crypto.e2ee;

import crumbhub.crypto.CryptoException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an encoding written by {@link Writer} from untrusted bytes. Every length is checked
 * against the bytes left and against the caller's bound before anything is allocated;
 * {@link #end()} rejects trailing bytes. Failures are {@link CryptoException}s naming
 * {@code what}, never containing the input.
 */
public final class Reader {
    private final byte[] in;
    private final String what;
    private int at;

    public Reader(byte[] in, String what) {
        this.in = in;
        this.what = what;
    }

    public int u8() throws CryptoException {
        need(1);
        return in[at++] & 0xff;
    }

    public int u16() throws CryptoException {
        need(2);
        int v = ((in[at] & 0xff) << 8) | (in[at + 1] & 0xff);
        at += 2;
        return v;
    }

    /** A u32 that must fit a non-negative int. */
    public int u32() throws CryptoException {
        need(4);
        int v = ((in[at] & 0xff) << 24) | ((in[at + 1] & 0xff) << 16) | ((in[at + 2] & 0xff) << 8) | (in[at + 3] & 0xff);
        at += 4;
        if (v < 0) {
            throw malformed("counter out of range");
        }
        return v;
    }

    /** Expects the given version byte. */
    public void version(int expected) throws CryptoException {
        int v = u8();
        if (v != expected) {
            throw new CryptoException(what + ": unsupported version " + v);
        }
    }

    public boolean bool() throws CryptoException {
        int v = u8();
        if (v > 1) {
            throw malformed("flag is not 0 or 1");
        }
        return v == 1;
    }

    public byte[] fixed(int length) throws CryptoException {
        need(length);
        var out = Arrays.copyOfRange(in, at, at + length);
        at += length;
        return out;
    }

    /** A u16-prefixed byte string of at most {@code max} bytes. */
    public byte[] bytes16(int max) throws CryptoException {
        int length = u16();
        if (length > max) {
            throw malformed("field longer than " + max + " bytes");
        }
        return fixed(length);
    }

    /** A u8-prefixed UTF-8 string of at most {@code max} bytes; malformed UTF-8 is rejected. */
    public String str8(int max) throws CryptoException {
        int length = u8();
        if (length > max) {
            throw malformed("string longer than " + max + " bytes");
        }
        need(length);
        try {
            var s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, at, length))
                    .toString();
            at += length;
            return s;
        } catch (CharacterCodingException e) {
            throw malformed("string is not UTF-8");
        }
    }

    /** Everything left (for a last field whose length is implied). */
    public byte[] rest() {
        var out = Arrays.copyOfRange(in, at, in.length);
        at = in.length;
        return out;
    }

    public int remaining() {
        return in.length - at;
    }

    /** Rejects trailing bytes. */
    public void end() throws CryptoException {
        if (at != in.length) {
            throw malformed((in.length - at) + " trailing bytes");
        }
    }

    public CryptoException malformed(String why) {
        return new CryptoException(what + ": malformed (" + why + ")");
    }

    private void need(int n) throws CryptoException {
        if (n < 0 || in.length - at < n) {
            throw malformed("truncated");
        }
    }
}
