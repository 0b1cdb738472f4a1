package crumbhub.crypto.identity;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.security.SecureRandom;

/**
 * A device's identity key pairs: Ed25519 for signatures (prekeys, the identity binding) and
 * X25519 for the PQXDH identity Diffie-Hellman. CrumbHub keeps the two separate instead of
 * converting one key (XEdDSA), so each key is used by one algorithm only.
 *
 * <p>Not thread-safe. {@link #close()} zeroes both private keys.
 *
 * <p>Private encoding, version 1 (65 bytes, secret): {@code u8 1, ed25519Seed[32], x25519Private[32]};
 * the public keys and the binding signature are recomputed on decoding.
 */
public final class IdentityKeys implements AutoCloseable {
    public static final int VERSION = 1;
    private static final int PRIVATE_ENCODED_LENGTH = 1 + Ed25519KeyPair.PRIVATE_KEY_LENGTH + X25519KeyPair.KEY_LENGTH;

    private final Ed25519KeyPair signing;
    private final X25519KeyPair dh;
    private final IdentityPublicKey publicKey;

    private IdentityKeys(Ed25519KeyPair signing, X25519KeyPair dh) {
        this.signing = signing;
        this.dh = dh;
        var dhPublic = dh.publicKey();
        this.publicKey = new IdentityPublicKey(signing.publicKey(), dhPublic, signing.sign(IdentityPublicKey.bindingMessage(dhPublic)));
    }

    /** New identity keys; the Ed25519 seed, then the X25519 key, are drawn from {@code rng}. */
    public static IdentityKeys generate(SecureRandom rng) {
        return new IdentityKeys(Ed25519KeyPair.generate(rng), X25519KeyPair.generate(rng));
    }

    /**
     * Restores keys from {@link #encodePrivate()}.
     *
     * @throws CryptoException if the encoding is malformed or of another version
     */
    public static IdentityKeys decodePrivate(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "identity private key", CryptoException::malformed);
        in.version(VERSION);
        var seed = in.fixed(Ed25519KeyPair.PRIVATE_KEY_LENGTH);
        var x = in.fixed(X25519KeyPair.KEY_LENGTH);
        try {
            in.end();
            return new IdentityKeys(Ed25519KeyPair.fromPrivate(seed), X25519KeyPair.fromPrivate(x));
        } finally {
            Bytes.zero(seed, x);
        }
    }

    /** The secret version-1 encoding; the caller encrypts it at rest and zeroes it. */
    public byte[] encodePrivate() {
        var seed = signing.privateKey();
        var x = dh.privateKey();
        try {
            return BinaryWriter.growable(PRIVATE_ENCODED_LENGTH).u8(VERSION)
                    .fixed(seed, Ed25519KeyPair.PRIVATE_KEY_LENGTH)
                    .fixed(x, X25519KeyPair.KEY_LENGTH)
                    .toByteArray();
        } finally {
            Bytes.zero(seed, x);
        }
    }

    public IdentityPublicKey publicKey() {
        return publicKey;
    }

    /**
     * Signs {@code message} with the Ed25519 identity key. Callers prefix their own label so a
     * signature made for one purpose never verifies as another.
     */
    public byte[] sign(byte[] message) {
        return signing.sign(message);
    }

    /**
     * X25519 of the identity private key and {@code remotePublic}.
     *
     * @throws CryptoException for a low-order remote key
     */
    public byte[] dh(byte[] remotePublic) throws CryptoException {
        return dh.dh(remotePublic);
    }

    @Override
    public void close() {
        signing.close();
        dh.close();
    }

    @Override
    public String toString() {
        return "IdentityKeys[" + publicKey + ", private=<redacted>]";
    }
}
