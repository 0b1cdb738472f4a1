package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A 16-byte message id ({@code id16}), chosen at random by the sender; the server de-duplicates
 * retries by it. Held as two longs so it is cheap to compare, hash and keep in maps.
 */
public record MessageId(long high, long low) {

    /** A fresh random id. */
    public static MessageId random(SecureRandom rng) {
        return new MessageId(rng.nextLong(), rng.nextLong());
    }

    /** The id whose big-endian encoding is {@code bytes} (exactly 16 bytes). */
    public static MessageId fromBytes(byte[] bytes) {
        if (bytes.length != Limits.MESSAGE_ID) {
            throw new IllegalArgumentException("a message id is 16 bytes, got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new MessageId(b.getLong(), b.getLong());
    }

    /** Parses the 32 hex digits that {@link #toString()} prints. */
    public static MessageId parse(String hex) {
        if (hex.length() != 2 * Limits.MESSAGE_ID) {
            throw new IllegalArgumentException("a message id is 32 hex digits");
        }
        return fromBytes(HexFormat.of().parseHex(hex));
    }

    /** Reads an {@code id16} field; used by the decoder. */
    static MessageId read(BinaryReader<MalformedFrameException> in, String field) throws MalformedFrameException {
        return new MessageId(in.u64(field), in.u64(field));
    }

    /** Writes the {@code id16} field. */
    void writeTo(BinaryWriter out) {
        out.u64(high).u64(low);
    }

    /** The 16-byte big-endian encoding. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(Limits.MESSAGE_ID).putLong(high).putLong(low).array();
    }

    /** 32 lower-case hex digits. */
    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }
}
