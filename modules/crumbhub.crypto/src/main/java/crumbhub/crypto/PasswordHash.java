package crumbhub.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A PBKDF2-HMAC-SHA256 password hash with its parameters, so they can be raised later
 * (docs/design.md §4). The password enters PBKDF2 as its UTF-8 bytes (the JDK's encoding of a
 * {@code char[]}). Immutable; accessors return copies. {@link #toString()} is redacted.
 *
 * <p>Hashing costs {@code iterations} HMACs (about 0.3 s at the default): never call
 * {@link #create} or {@link #verify} on an event-loop thread.
 *
 * @param iterations PBKDF2 iteration count, 1..{@value #MAX_ITERATIONS}
 * @param salt random salt, {@value #MIN_SALT_LENGTH}..{@value #MAX_LENGTH} bytes
 * @param hash derived key, {@value #MIN_HASH_LENGTH}..{@value #MAX_LENGTH} bytes
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    public static final int SALT_LENGTH = 16;
    public static final int HASH_LENGTH = 32;
    /** Bounds what {@link #decode} accepts, so a corrupt record cannot pin a worker for hours. */
    public static final int MAX_ITERATIONS = 100_000_000;
    static final int MIN_SALT_LENGTH = 8;
    static final int MIN_HASH_LENGTH = 16;
    static final int MAX_LENGTH = 64;

    private static final String SCHEME = "pbkdf2-sha256";

    public PasswordHash {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be 1.." + MAX_ITERATIONS);
        }
        if (salt.length < MIN_SALT_LENGTH || salt.length > MAX_LENGTH) {
            throw new IllegalArgumentException("PBKDF2 salt must be " + MIN_SALT_LENGTH + ".." + MAX_LENGTH + " bytes");
        }
        if (hash.length < MIN_HASH_LENGTH || hash.length > MAX_LENGTH) {
            throw new IllegalArgumentException("PBKDF2 hash must be " + MIN_HASH_LENGTH + ".." + MAX_LENGTH + " bytes");
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** Hashes {@code password} with a fresh 16-byte salt and {@link #DEFAULT_ITERATIONS}. */
    public static PasswordHash create(char[] password, SecureRandom rng) {
        return create(password, rng, DEFAULT_ITERATIONS);
    }

    /** Hashes {@code password} with a fresh 16-byte salt and the given iteration count. */
    public static PasswordHash create(char[] password, SecureRandom rng, int iterations) {
        var salt = new byte[SALT_LENGTH];
        rng.nextBytes(salt);
        var hash = pbkdf2(password, salt, iterations, HASH_LENGTH);
        try {
            return new PasswordHash(iterations, salt, hash);
        } finally {
            Bytes.zero(hash);
        }
    }

    /** Whether {@code password} produces this hash; the final comparison is constant time. */
    public boolean verify(char[] password) {
        var candidate = pbkdf2(password, salt, iterations, hash.length);
        try {
            return MessageDigest.isEqual(candidate, hash);
        } finally {
            Bytes.zero(candidate);
        }
    }

    /** Whether this hash was made with fewer iterations than {@link #DEFAULT_ITERATIONS}. */
    public boolean needsRehash() {
        return iterations < DEFAULT_ITERATIONS;
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>}, standard Base64 with padding. */
    public String encode() {
        var b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * Parses the output of {@link #encode()}.
     *
     * @throws CryptoException if the text is not a well-formed hash within the bounds above
     */
    public static PasswordHash decode(String encoded) throws CryptoException {
        var parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new CryptoException("not a " + SCHEME + " password hash");
        }
        try {
            if (!parts[1].matches("[1-9][0-9]{0,8}")) {
                throw new CryptoException("malformed iteration count in password hash");
            }
            var b64 = Base64.getDecoder();
            return new PasswordHash(Integer.parseInt(parts[1]), b64.decode(parts[2]), b64.decode(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new CryptoException("malformed password hash: " + e.getMessage());
        }
    }

    /** PBKDF2-HMAC-SHA256 through the JDK; package-visible for the known-answer tests. */
    static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int length) {
        var spec = new PBEKeySpec(password, salt, iterations, length * 8);
        try {
            return SecretKeyFactory.getInstance(Algorithms.PBKDF2_SHA256).generateSecret(spec).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("invalid PBKDF2 parameters", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + Algorithms.PBKDF2_SHA256, e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash other
                && iterations == other.iterations
                && Arrays.equals(salt, other.salt)
                && MessageDigest.isEqual(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "PasswordHash[pbkdf2-sha256, iterations=" + iterations + ", <redacted>]";
    }
}
