package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * One device's prekey bundle in a KEY_BUNDLES_REPLY: {@code u32 deviceId, bytes16(KEY) identity,
 * bytes16(KEY) signedPreKey, bytes16(KEY) kemPreKey, bytes8(ONE_TIME_KEY) oneTimePreKey}, each the
 * encoding the device published; {@code oneTimePreKey} is empty when the device's pool was empty.
 * The server hands each one-time prekey out once. Arrays are held by reference.
 */
public record KeyBundle(int deviceId, byte[] identity, byte[] signedPreKey, byte[] kemPreKey, byte[] oneTimePreKey)
        implements Entries.Entry {
    public KeyBundle {
        Checks.bytes(identity, Limits.KEY, "identity");
        Checks.bytes(signedPreKey, Limits.KEY, "signed prekey");
        Checks.bytes(kemPreKey, Limits.KEY, "KEM prekey");
        Checks.bytes(oneTimePreKey, Limits.ONE_TIME_KEY, "one-time prekey");
    }

    /** Smallest entry on the wire (all keys empty). */
    static final int MIN_LENGTH = Entries.length(new KeyBundle(0, new byte[0], new byte[0], new byte[0], new byte[0]));

    @Override
    public void write(BinaryWriter out) {
        out.u32(deviceId).bytes16(identity).bytes16(signedPreKey).bytes16(kemPreKey).bytes8(oneTimePreKey);
    }

    static KeyBundle read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        return new KeyBundle(in.u32("deviceId"), in.bytes16(Limits.KEY, "identity"),
                in.bytes16(Limits.KEY, "signedPreKey"), in.bytes16(Limits.KEY, "kemPreKey"),
                in.bytes8(Limits.ONE_TIME_KEY, "oneTimePreKey"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBundle b && deviceId == b.deviceId && Arrays.equals(identity, b.identity)
                && Arrays.equals(signedPreKey, b.signedPreKey) && Arrays.equals(kemPreKey, b.kemPreKey)
                && Arrays.equals(oneTimePreKey, b.oneTimePreKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, Arrays.hashCode(identity), Arrays.hashCode(signedPreKey),
                Arrays.hashCode(kemPreKey), Arrays.hashCode(oneTimePreKey));
    }

    @Override
    public String toString() {
        return "KeyBundle[deviceId=" + Integer.toUnsignedString(deviceId) + ", oneTime="
                + (oneTimePreKey.length > 0) + "]";
    }
}
