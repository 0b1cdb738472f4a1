package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A 32-byte device token ({@code token}), a bearer secret bound to a device key. Its
 * {@code toString} is redacted, {@link #equals} compares in constant time, and {@link #destroy}
 * zeroes it. Instances are immutable until destroyed.
 */
public final class DeviceToken {
    private final byte[] bytes;

    private DeviceToken(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh random token. */
    public static DeviceToken random(SecureRandom rng) {
        byte[] b = new byte[Limits.TOKEN];
        rng.nextBytes(b);
        return new DeviceToken(b);
    }

    /** A token holding a copy of {@code bytes} (exactly 32 bytes). */
    public static DeviceToken of(byte[] bytes) {
        if (bytes.length != Limits.TOKEN) {
            throw new IllegalArgumentException("a device token is 32 bytes, got " + bytes.length);
        }
        return new DeviceToken(bytes.clone());
    }

    /** Reads a {@code token} field; used by the decoder. */
    static DeviceToken read(BinaryReader<MalformedFrameException> in, String field) throws MalformedFrameException {
        return new DeviceToken(in.fixed(Limits.TOKEN, field));
    }

    void writeTo(BinaryWriter out) {
        out.raw(bytes);
    }

    /** A copy of the token bytes; the caller should zero it when done. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Constant-time comparison. */
    public boolean matches(DeviceToken other) {
        return other != null && MessageDigest.isEqual(bytes, other.bytes);
    }

    /** Zeroes the token; it compares unequal to the original afterwards. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceToken t && matches(t);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "DeviceToken[redacted]";
    }
}
