package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The id of a stored file blob ({@code id16}, docs/protocol.md §10): 128 random bits the server
 * picks, so an id cannot be guessed; users see it as 32 lower-case hex digits.
 */
public record FileId(long high, long low) {

    /** A fresh random id. */
    public static FileId random(SecureRandom rng) {
        return new FileId(rng.nextLong(), rng.nextLong());
    }

    /**
     * Parses the 32 hex digits that {@link #toString()} prints.
     *
     * @throws IllegalArgumentException if {@code hex} is not 32 hex digits
     */
    public static FileId parse(String hex) {
        if (hex.length() != 2 * Limits.MESSAGE_ID) {
            throw new IllegalArgumentException("a file id is 32 hex digits");
        }
        byte[] b = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (b[i] & 0xFF);
            lo = lo << 8 | (b[8 + i] & 0xFF);
        }
        return new FileId(hi, lo);
    }

    static FileId read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        return new FileId(in.u64("file"), in.u64("file"));
    }

    void writeTo(BinaryWriter out) {
        out.u64(high).u64(low);
    }

    /** 32 lower-case hex digits. */
    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }
}
