package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * One device's bundle in a KEY_BUNDLES_PQ_REPLY: {@code KeyBundle, bytes16(KEY) oneTimeKemPreKey},
 * the KEY_BUNDLES_REPLY entry followed by one signed one-time ML-KEM prekey as the device published
 * it, empty when the device's pool was empty (the initiator then uses the last-resort
 * {@code kemPreKey}). The server hands each one-time key out once. Arrays are held by reference.
 */
public record PqKeyBundle(KeyBundle bundle, byte[] oneTimeKemPreKey) implements Entries.Entry {
    public PqKeyBundle {
        Objects.requireNonNull(bundle, "bundle");
        Checks.bytes(oneTimeKemPreKey, Limits.KEY, "one-time KEM prekey");
    }

    /** Smallest entry on the wire (all keys empty). */
    static final int MIN_LENGTH = KeyBundle.MIN_LENGTH + 2;

    @Override
    public void write(BinaryWriter out) {
        bundle.write(out);
        out.bytes16(oneTimeKemPreKey);
    }

    static PqKeyBundle read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        return new PqKeyBundle(KeyBundle.read(in), in.bytes16(Limits.KEY, "oneTimeKemPreKey"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PqKeyBundle b && bundle.equals(b.bundle) && Arrays.equals(oneTimeKemPreKey, b.oneTimeKemPreKey);
    }

    @Override
    public int hashCode() {
        return 31 * bundle.hashCode() + Arrays.hashCode(oneTimeKemPreKey);
    }

    @Override
    public String toString() {
        return "PqKeyBundle[" + bundle + ", oneTimeKem=" + (oneTimeKemPreKey.length > 0) + "]";
    }
}
