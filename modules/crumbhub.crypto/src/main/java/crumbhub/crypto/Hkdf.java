package crumbhub.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869) through the JDK {@link KDF} API. Stateless and thread-safe.
 *
 * <p>A {@code null} or empty salt means 32 zero bytes (RFC 5869 section 2.2). Output lengths must
 * be between 1 and 255 * 32 = 8160 bytes (section 2.3); others throw {@link IllegalArgumentException}.
 */
public final class Hkdf {
    /** SHA-256 output length, the PRK length. */
    public static final int HASH_LENGTH = 32;
    /** RFC 5869 section 2.3: L <= 255 * HashLen. */
    public static final int MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

    private Hkdf() {}

    /** HKDF-Extract(salt, ikm): the 32-byte pseudorandom key. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        try {
            return kdf().deriveData(HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(saltOrZeros(salt)).extractOnly());
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalArgumentException("invalid HKDF-Extract parameters", e);
        }
    }

    /** HKDF-Expand(prk, info, length). {@code prk} must be at least 32 bytes. */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        checkLength(length);
        if (prk.length < HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF PRK must be at least " + HASH_LENGTH + " bytes");
        }
        var key = new SecretKeySpec(prk, Algorithms.HKDF_SHA256);
        try {
            return kdf().deriveData(HKDFParameterSpec.expandOnly(key, info == null ? new byte[0] : info, length));
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalArgumentException("invalid HKDF-Expand parameters", e);
        }
    }

    /** HKDF-Expand(HKDF-Extract(salt, ikm), info, length). */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        checkLength(length);
        try {
            return kdf().deriveData(HKDFParameterSpec.ofExtract()
                    .addIKM(ikm)
                    .addSalt(saltOrZeros(salt))
                    .thenExpand(info == null ? new byte[0] : info, length));
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalArgumentException("invalid HKDF parameters", e);
        }
    }

    private static void checkLength(int length) {
        if (length < 1 || length > MAX_OUTPUT_LENGTH) {
            throw new IllegalArgumentException("HKDF output length must be 1.." + MAX_OUTPUT_LENGTH + ", got " + length);
        }
    }

    private static byte[] saltOrZeros(byte[] salt) {
        return salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
    }

    private static KDF kdf() {
        try {
            return KDF.getInstance(Algorithms.HKDF_SHA256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + Algorithms.HKDF_SHA256, e);
        }
    }
}
