package crumbhub.crypto.identity;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.e2ee.ProvidedBytes;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;

/**
 * An Ed25519 signing key pair (RFC 8032) on the JDK's EdDSA provider. Keys are the raw RFC 8032
 * encodings: a 32-byte private seed and a 32-byte public key; signatures are 64 bytes and
 * deterministic, so signing needs no randomness.
 *
 * <p>Not thread-safe. {@link #close()} zeroes the seed this object holds (the JDK's key object
 * keeps its own copy until collected); later signing throws {@link IllegalStateException}.
 */
public final class Ed25519KeyPair implements AutoCloseable {
    public static final int PRIVATE_KEY_LENGTH = 32;
    public static final int PUBLIC_KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] seed;
    private final byte[] publicKey;
    private final PrivateKey jdkPrivate;
    private boolean closed;

    private Ed25519KeyPair(byte[] seed32) {
        this.seed = seed32.clone();
        try {
            this.jdkPrivate = KeyFactory.getInstance(Algorithms.ED25519)
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            this.publicKey = derivePublic(seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's " + Algorithms.ED25519 + " provider failed", e);
        }
    }

    /** Draws the 32-byte seed from {@code rng}; deterministic under a seeded generator. */
    public static Ed25519KeyPair generate(SecureRandom rng) {
        var seed = new byte[PRIVATE_KEY_LENGTH];
        rng.nextBytes(seed);
        try {
            return new Ed25519KeyPair(seed);
        } finally {
            Bytes.zero(seed);
        }
    }

    /**
     * The key pair of a 32-byte RFC 8032 private key (seed).
     *
     * @throws IllegalArgumentException if {@code seed32} is not 32 bytes
     */
    public static Ed25519KeyPair fromPrivate(byte[] seed32) {
        if (seed32 == null || seed32.length != PRIVATE_KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 private key must be " + PRIVATE_KEY_LENGTH + " bytes");
        }
        return new Ed25519KeyPair(seed32);
    }

    /** A copy of the 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the 32-byte private seed; the caller zeroes it when done. */
    public byte[] privateKey() {
        ensureOpen();
        return seed.clone();
    }

    /** The 64-byte Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        ensureOpen();
        try {
            var signer = Signature.getInstance(Algorithms.ED25519);
            signer.initSign(jdkPrivate);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * Whether {@code signature} is a valid Ed25519 signature of {@code message} under the raw
     * {@code publicKey}. Any malformed input (wrong lengths, a public key that is not a curve
     * point, a non-canonical signature) gives {@code false}, never an exception.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH
                || signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            var verifier = Signature.getInstance(Algorithms.ED25519);
            verifier.initVerify(decodePublic(publicKey));
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // The provider reports undecodable keys and signatures as exceptions; all mean "invalid".
            return false;
        }
    }

    /** Zeroes the seed held by this object. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Bytes.zero(seed);
    }

    @Override
    public String toString() {
        return "Ed25519KeyPair[public=" + Bytes.hex(publicKey) + ", private=<redacted>]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("key pair is closed");
        }
    }

    /**
     * The JDK has no "public key of this private key" call, so the seed is fed to its key pair
     * generator, which takes exactly 32 bytes from its random source as the private key. The
     * check on the generated private key catches a provider that ever drew differently.
     */
    private static byte[] derivePublic(byte[] seed) throws GeneralSecurityException {
        var source = ProvidedBytes.of(seed);
        try {
            var generator = KeyPairGenerator.getInstance(Algorithms.ED25519);
            generator.initialize(NamedParameterSpec.ED25519, source);
            var pair = generator.generateKeyPair();
            var generated = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            try {
                if (!source.exhausted() || !Bytes.constantTimeEquals(generated, seed)) {
                    throw new IllegalStateException("the JDK's Ed25519 generator did not use the given seed");
                }
            } finally {
                Bytes.zero(generated);
            }
            return encodePublic(((EdECPublicKey) pair.getPublic()).getPoint());
        } finally {
            source.wipe();
        }
    }

    /** RFC 8032 section 5.1.2: y little-endian, the top bit of the last byte is x's parity. */
    private static byte[] encodePublic(EdECPoint point) {
        var out = new byte[PUBLIC_KEY_LENGTH];
        var bigEndian = point.getY().toByteArray();
        for (int i = 0; i < bigEndian.length && i < PUBLIC_KEY_LENGTH; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        if (point.isXOdd()) {
            out[PUBLIC_KEY_LENGTH - 1] |= (byte) 0x80;
        }
        return out;
    }

    private static PublicKey decodePublic(byte[] raw) throws GeneralSecurityException {
        var bigEndian = new byte[PUBLIC_KEY_LENGTH];
        for (int i = 0; i < PUBLIC_KEY_LENGTH; i++) {
            bigEndian[i] = raw[PUBLIC_KEY_LENGTH - 1 - i];
        }
        boolean xOdd = (bigEndian[0] & 0x80) != 0;
        bigEndian[0] &= 0x7f;
        var point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
        return KeyFactory.getInstance(Algorithms.ED25519).generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }
}
