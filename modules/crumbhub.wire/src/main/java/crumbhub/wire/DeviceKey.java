package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Arrays;

/**
 * One device in a DEVICE_KEYS_REPLY entry: {@code u32 deviceId, bytes16(KEY) identity}, the
 * device's encoded end-to-end identity public key as it published it. The array is held by
 * reference; do not change it after handing it over.
 */
public record DeviceKey(int deviceId, byte[] identity) implements Entries.Entry {
    public DeviceKey {
        Checks.bytes(identity, Limits.KEY, "identity");
    }

    /** Smallest entry on the wire (empty key); the decoder's plausibility bound. */
    static final int MIN_LENGTH = Entries.length(new DeviceKey(0, new byte[0]));

    @Override
    public void write(BinaryWriter out) {
        out.u32(deviceId).bytes16(identity);
    }

    static DeviceKey read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        return new DeviceKey(in.u32("deviceId"), in.bytes16(Limits.KEY, "identity"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceKey k && deviceId == k.deviceId && Arrays.equals(identity, k.identity);
    }

    @Override
    public int hashCode() {
        return 31 * deviceId + Arrays.hashCode(identity);
    }

    @Override
    public String toString() {
        return "DeviceKey[deviceId=" + Integer.toUnsignedString(deviceId) + ", identity=<" + identity.length + " bytes>]";
    }
}
