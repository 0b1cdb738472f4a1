package crumbhub.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * An X25519 key pair (RFC 7748) backed by the JDK's XDH provider. Keys are raw 32-byte strings,
 * little-endian as on the wire.
 *
 * <p>Not thread-safe: confine an instance to one thread or guard it. {@link #close()} zeroes the
 * private key copy this object holds; later use throws {@link IllegalStateException}.
 */
public final class X25519KeyPair implements AutoCloseable {
    /** Length of private keys, public keys and shared secrets. */
    public static final int KEY_LENGTH = 32;

    private static final byte[] BASE_POINT = basePoint();

    private final byte[] privateKey;
    private final byte[] publicKey;
    private final PrivateKey jdkPrivate;
    private boolean closed;

    private X25519KeyPair(byte[] priv32) {
        this.privateKey = priv32.clone();
        try {
            this.jdkPrivate = keyFactory().generatePrivate(
                    new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
            this.publicKey = agree(jdkPrivate, BASE_POINT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's X25519 provider failed", e);
        }
    }

    /** Draws the 32-byte private key from {@code rng}; deterministic under a seeded generator. */
    public static X25519KeyPair generate(SecureRandom rng) {
        var priv = new byte[KEY_LENGTH];
        rng.nextBytes(priv);
        try {
            return new X25519KeyPair(priv);
        } finally {
            Bytes.zero(priv);
        }
    }

    /**
     * A key pair from a 32-byte private key (any bytes; X25519 clamps them when used).
     *
     * @throws IllegalArgumentException if {@code priv32} is not 32 bytes
     */
    public static X25519KeyPair fromPrivate(byte[] priv32) {
        requireLength(priv32, "private key");
        return new X25519KeyPair(priv32);
    }

    /** A copy of the 32-byte public key, X25519(private, 9). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the 32-byte private key; the caller should zero it when done. */
    public byte[] privateKey() {
        ensureOpen();
        return privateKey.clone();
    }

    /**
     * X25519(private, remotePublic). The top bit of the remote key is ignored and non-canonical
     * values are reduced modulo p, as RFC 7748 section 5 requires.
     *
     * @throws CryptoException if the result is all zeros (a low-order remote key, RFC 7748 section 6.1)
     * @throws IllegalArgumentException if {@code remotePublic32} is not 32 bytes
     */
    public byte[] dh(byte[] remotePublic32) throws CryptoException {
        requireLength(remotePublic32, "public key");
        ensureOpen();
        try {
            var shared = agree(jdkPrivate, remotePublic32);
            if (isAllZero(shared)) {
                throw new CryptoException("X25519 produced the all-zero shared secret (low-order public key)");
            }
            return shared;
        } catch (InvalidKeyException e) {
            // The JDK rejects low-order points itself ("Point has small order").
            throw new CryptoException("X25519 rejected the public key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's X25519 provider failed", e);
        }
    }

    /** Zeroes the private key held by this object. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Bytes.zero(privateKey);
    }

    @Override
    public String toString() {
        return "X25519KeyPair[public=" + Bytes.hex(publicKey) + ", private=<redacted>]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("key pair is closed");
        }
    }

    private static byte[] agree(PrivateKey priv, byte[] remotePublic) throws GeneralSecurityException {
        PublicKey pub = keyFactory().generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(remotePublic)));
        var ka = KeyAgreement.getInstance(Algorithms.X25519);
        ka.init(priv);
        ka.doPhase(pub, true);
        return ka.generateSecret();
    }

    /** RFC 7748 section 5 decodeUCoordinate: little-endian, most significant bit masked. */
    private static BigInteger decodeU(byte[] u) {
        var bigEndian = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            bigEndian[i] = u[KEY_LENGTH - 1 - i];
        }
        bigEndian[0] &= 0x7f;
        return new BigInteger(1, bigEndian);
    }

    private static KeyFactory keyFactory() throws GeneralSecurityException {
        return KeyFactory.getInstance(Algorithms.X25519);
    }

    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    private static void requireLength(byte[] key, String what) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "X25519 " + what + " must be " + KEY_LENGTH + " bytes, got " + (key == null ? "null" : key.length));
        }
    }

    private static byte[] basePoint() {
        var b = new byte[KEY_LENGTH];
        b[0] = 9;
        return b;
    }
}
