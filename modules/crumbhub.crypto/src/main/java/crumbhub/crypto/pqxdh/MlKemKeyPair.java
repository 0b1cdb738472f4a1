package crumbhub.crypto.pqxdh;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.e2ee.ProvidedBytes;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.EncodedKeySpec;
import java.security.spec.NamedParameterSpec;
import javax.crypto.DecapsulateException;
import javax.crypto.KEM;

/**
 * An ML-KEM-768 key pair (FIPS 203) on the JDK's provider. Public keys are the raw 1184-byte
 * encapsulation key {@code ek}; the private key is kept as its 64-byte seed {@code d || z}
 * (FIPS 203 section 7.1, the compact form the key is regenerated from), never as the expanded
 * 2400-byte {@code dk}.
 *
 * <p>Determinism: the JDK's generator takes {@code d} then {@code z} (32 bytes each) from the
 * {@code SecureRandom} it is initialised with, and its encapsulator takes the 32-byte message
 * {@code m} from the one it is created with. So {@link #generate} and {@link #encapsulate} are
 * deterministic under a seeded generator; the Wycheproof tests pin both behaviours.
 *
 * <p>Not thread-safe. {@link #close()} zeroes the seed held here (the JDK key object keeps the
 * expanded key until collected).
 */
public final class MlKemKeyPair implements AutoCloseable {
    public static final int SEED_LENGTH = 64;
    public static final int PUBLIC_KEY_LENGTH = 1184;
    public static final int CIPHERTEXT_LENGTH = 1088;
    public static final int SHARED_SECRET_LENGTH = 32;

    private final byte[] seed;
    private final byte[] publicKey;
    private final PrivateKey jdkPrivate;
    private boolean closed;

    private MlKemKeyPair(byte[] seed64) {
        this.seed = seed64.clone();
        var source = ProvidedBytes.of(seed64);
        try {
            var generator = KeyPairGenerator.getInstance(Algorithms.ML_KEM_768);
            generator.initialize(NamedParameterSpec.ML_KEM_768, source);
            var pair = generator.generateKeyPair();
            if (!source.exhausted()) {
                throw new IllegalStateException("the JDK's ML-KEM generator did not take the whole seed");
            }
            this.jdkPrivate = pair.getPrivate();
            this.publicKey = raw(pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's " + Algorithms.ML_KEM_768 + " provider failed", e);
        } finally {
            source.wipe();
        }
    }

    /** A new key pair whose 64-byte seed is drawn from {@code rng}. */
    public static MlKemKeyPair generate(SecureRandom rng) {
        var seed = new byte[SEED_LENGTH];
        rng.nextBytes(seed);
        try {
            return new MlKemKeyPair(seed);
        } finally {
            Bytes.zero(seed);
        }
    }

    /**
     * The key pair of ML-KEM.KeyGen_internal(d, z) for {@code seed64 = d || z}.
     *
     * @throws IllegalArgumentException if the seed is not 64 bytes
     */
    public static MlKemKeyPair fromSeed(byte[] seed64) {
        if (seed64 == null || seed64.length != SEED_LENGTH) {
            throw new IllegalArgumentException("ML-KEM seed must be " + SEED_LENGTH + " bytes");
        }
        return new MlKemKeyPair(seed64);
    }

    /** A copy of the 1184-byte encapsulation key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the secret 64-byte seed; the caller zeroes it. */
    public byte[] seed() {
        ensureOpen();
        return seed.clone();
    }

    /**
     * ML-KEM.Decaps: the 32-byte shared secret for {@code ciphertext}. A ciphertext of the right
     * length that was not made for this key yields an unrelated secret (implicit rejection,
     * FIPS 203 section 6.3), which the protocol then fails on; a wrong length is rejected here.
     *
     * @throws CryptoException if the ciphertext is not 1088 bytes
     */
    public byte[] decapsulate(byte[] ciphertext) throws CryptoException {
        ensureOpen();
        if (ciphertext == null || ciphertext.length != CIPHERTEXT_LENGTH) {
            throw new CryptoException("ML-KEM-768 ciphertext must be " + CIPHERTEXT_LENGTH + " bytes");
        }
        try {
            return KEM.getInstance(Algorithms.ML_KEM).newDecapsulator(jdkPrivate).decapsulate(ciphertext).getEncoded();
        } catch (DecapsulateException e) {
            throw new CryptoException("ML-KEM-768 decapsulation rejected the ciphertext", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's " + Algorithms.ML_KEM + " provider failed", e);
        }
    }

    /** The ciphertext to send and the shared secret to keep (secret; the caller zeroes it). */
    public record Encapsulation(byte[] ciphertext, byte[] sharedSecret) {
        @Override
        public String toString() {
            return "Encapsulation[ciphertext=" + ciphertext.length + " bytes, sharedSecret=<redacted>]";
        }
    }

    /**
     * ML-KEM.Encaps to a raw encapsulation key, with the 32-byte message drawn from {@code rng}.
     *
     * @throws CryptoException if the key has the wrong length or fails the FIPS 203 section 7.2
     *     modulus check
     */
    public static Encapsulation encapsulate(byte[] publicKey, SecureRandom rng) throws CryptoException {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH) {
            throw new CryptoException("ML-KEM-768 public key must be " + PUBLIC_KEY_LENGTH + " bytes");
        }
        try {
            var key = KeyFactory.getInstance(Algorithms.ML_KEM_768).generatePublic(new RawKeySpec(publicKey));
            var encapsulated = KEM.getInstance(Algorithms.ML_KEM).newEncapsulator(key, rng).encapsulate();
            var secret = encapsulated.key().getEncoded();
            return new Encapsulation(encapsulated.encapsulation(), secret);
        } catch (InvalidKeyException e) {
            throw new CryptoException("ML-KEM-768 public key rejected (FIPS 203 modulus check)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's " + Algorithms.ML_KEM + " provider failed", e);
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
        return "MlKemKeyPair[public=" + PUBLIC_KEY_LENGTH + " bytes, private=<redacted>]";
    }

    /** The expanded 2400-byte decapsulation key, for the FIPS 203 known-answer tests only. */
    byte[] expandedPrivateKey() throws GeneralSecurityException {
        return KeyFactory.getInstance(Algorithms.ML_KEM_768).getKeySpec(jdkPrivate, EncodedKeySpec.class).getEncoded();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("key pair is closed");
        }
    }

    private static byte[] raw(PublicKey key) throws GeneralSecurityException {
        return KeyFactory.getInstance(Algorithms.ML_KEM_768).getKeySpec(key, EncodedKeySpec.class).getEncoded();
    }

    /** The JDK's named-group key factories accept and produce the bare key bytes as format "RAW". */
    static final class RawKeySpec extends EncodedKeySpec {
        RawKeySpec(byte[] encoded) {
            super(encoded);
        }

        @Override
        public String getFormat() {
            return "RAW";
        }
    }
}
