package crumbhub.crypto.identity;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The public identity of one device: its Ed25519 signing key, its X25519 identity key, and the
 * signing key's signature over the X25519 key ("binding"), so the pair can only come from the
 * holder of the signing key. An instance is always well formed and correctly bound: the only
 * ways to get one are {@link IdentityKeys#publicKey()} and {@link #decode(byte[])}, which checks
 * the binding. Immutable and thread-safe; equality is by the two keys.
 *
 * <p>Encoding, version 1 (129 bytes): {@code u8 1, signingKey[32], dhKey[32], binding[64]}.
 */
public final class IdentityPublicKey {
    public static final int VERSION = 1;
    public static final int ENCODED_LENGTH = 1 + Ed25519KeyPair.PUBLIC_KEY_LENGTH + X25519KeyPair.KEY_LENGTH
            + Ed25519KeyPair.SIGNATURE_LENGTH;
    /** Domain separation for the binding signature; nothing else the identity key signs starts so. */
    static final byte[] BINDING_LABEL = "CrumbHub identity binding v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] signingKey;
    private final byte[] dhKey;
    private final byte[] binding;

    IdentityPublicKey(byte[] signingKey, byte[] dhKey, byte[] binding) {
        this.signingKey = signingKey.clone();
        this.dhKey = dhKey.clone();
        this.binding = binding.clone();
    }

    /**
     * Parses and checks a version-1 encoding.
     *
     * @throws CryptoException if it is malformed or the binding signature does not verify
     */
    public static IdentityPublicKey decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "identity public key", CryptoException::malformed);
        in.version(VERSION);
        var signing = in.fixed(Ed25519KeyPair.PUBLIC_KEY_LENGTH);
        var dh = in.fixed(X25519KeyPair.KEY_LENGTH);
        var sig = in.fixed(Ed25519KeyPair.SIGNATURE_LENGTH);
        in.end();
        if (!Ed25519KeyPair.verify(signing, bindingMessage(dh), sig)) {
            throw new CryptoException("identity public key: binding signature does not verify");
        }
        return new IdentityPublicKey(signing, dh, sig);
    }

    /** The version-1 encoding (a fresh array). */
    public byte[] encode() {
        return BinaryWriter.growable(ENCODED_LENGTH)
                .u8(VERSION)
                .fixed(signingKey, Ed25519KeyPair.PUBLIC_KEY_LENGTH)
                .fixed(dhKey, X25519KeyPair.KEY_LENGTH)
                .fixed(binding, Ed25519KeyPair.SIGNATURE_LENGTH)
                .toByteArray();
    }

    /** A copy of the raw 32-byte Ed25519 public key. */
    public byte[] signingKey() {
        return signingKey.clone();
    }

    /** A copy of the raw 32-byte X25519 identity public key. */
    public byte[] dhKey() {
        return dhKey.clone();
    }

    /** Whether {@code signature} is this identity's Ed25519 signature of {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519KeyPair.verify(signingKey, message, signature);
    }

    /** The 64 bytes {@code signingKey || dhKey}: what a safety number commits to. */
    byte[] keyBytes() {
        return Bytes.concat(signingKey, dhKey);
    }

    static byte[] bindingMessage(byte[] dhKey) {
        return Bytes.concat(BINDING_LABEL, dhKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityPublicKey other
                && Arrays.equals(signingKey, other.signingKey)
                && Arrays.equals(dhKey, other.dhKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(signingKey) + Arrays.hashCode(dhKey);
    }

    @Override
    public String toString() {
        return "IdentityPublicKey[signing=" + Bytes.hex(signingKey) + ", dh=" + Bytes.hex(dhKey) + "]";
    }
}
