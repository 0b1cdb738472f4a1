package crumbhub.crypto.account;

import crumbhub.crypto.Aead;
import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The account key kept on the server under the recovery code (docs/crypto.md "Recovery code"):
 * the code is 32 characters of Crockford base32 (160 random bits), shown once at {@code register};
 * the key that seals the account's private key is PBKDF2-HMAC-SHA256 of the code's normalized
 * characters with a random 16-byte salt and {@link #ITERATIONS} iterations; the seal is
 * AES-256-GCM with the associated data {@code "CrumbHub recovery escrow v1", str8 user}.
 *
 * <p>Encoding, version 1: {@code u8 1, u32 iterations, bytes8 salt, bytes8 nonce, bytes16 sealed}.
 */
public final class RecoveryEscrow {
    public static final int VERSION = 1;
    /**
     * The code carries 160 random bits, so a guess costs 2^159 tries on average whatever the
     * iteration count; the iterations only slow a search over codes mistyped by a few characters.
     */
    public static final int ITERATIONS = 100_000;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int CODE_CHARS = 32;
    private static final int SALT_LENGTH = 16;
    private static final byte[] LABEL = "CrumbHub recovery escrow v1".getBytes(StandardCharsets.US_ASCII);
    /** The largest encoding: what a wire field for it must hold. */
    public static final int MAX_ENCODED_LENGTH = 8_192;

    private RecoveryEscrow() {}

    /** A new recovery code, as 8 groups of 4 characters. */
    public static String newCode(SecureRandom rng) {
        byte[] raw = new byte[CODE_CHARS * 5 / 8];
        rng.nextBytes(raw);
        try {
            return Base32.grouped(Base32.encode(raw, CODE_CHARS), 4);
        } finally {
            Bytes.zero(raw);
        }
    }

    /** Seals {@code account}'s private key under {@code code} for {@code user}. */
    public static byte[] seal(String code, String user, AccountKeyPair account, SecureRandom rng) {
        byte[] salt = new byte[SALT_LENGTH];
        byte[] nonce = new byte[Aead.NONCE_LENGTH];
        rng.nextBytes(salt);
        rng.nextBytes(nonce);
        byte[] key = derive(code, salt, ITERATIONS);
        byte[] secret = account.encodePrivate();
        try {
            byte[] sealed = Aead.seal(key, nonce, ad(user), secret);
            return BinaryWriter.growable(sealed.length + 64).u8(VERSION).u32(ITERATIONS).bytes8(salt).bytes8(nonce)
                    .bytes16(sealed).toByteArray();
        } finally {
            Bytes.zero(key, secret);
        }
    }

    /**
     * The account key sealed in {@code escrow}.
     *
     * @throws CryptoException if the code is wrong (or the escrow was changed) or it is malformed
     */
    public static AccountKeyPair open(String code, String user, byte[] escrow) throws CryptoException {
        var in = BinaryReader.of(escrow, "recovery escrow", CryptoException::malformed);
        in.version(VERSION);
        int iterations = in.u32();
        byte[] salt = in.bytes8(64);
        byte[] nonce = in.bytes8(Aead.NONCE_LENGTH);
        byte[] sealed = in.bytes16(MAX_ENCODED_LENGTH);
        in.end();
        if (iterations < 1 || iterations > MAX_ITERATIONS || nonce.length != Aead.NONCE_LENGTH) {
            throw new CryptoException("recovery escrow: bad parameters");
        }
        byte[] key = derive(code, salt, iterations);
        byte[] secret = null;
        try {
            secret = Aead.open(key, nonce, ad(user), sealed);
            return AccountKeyPair.decodePrivate(secret);
        } catch (CryptoException e) {
            throw new CryptoException("the recovery code does not open this account's key", e);
        } finally {
            Bytes.zero(key);
            if (secret != null) {
                Bytes.zero(secret);
            }
        }
    }

    private static byte[] ad(String user) {
        return BinaryWriter.growable(64).raw(LABEL).str8(user).toByteArray();
    }

    private static byte[] derive(String code, byte[] salt, int iterations) {
        char[] chars = Base32.normalize(code).toCharArray();
        var spec = new PBEKeySpec(chars, salt, iterations, Aead.KEY_LENGTH * 8);
        try {
            return SecretKeyFactory.getInstance(Algorithms.PBKDF2_SHA256).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + Algorithms.PBKDF2_SHA256, e);
        } finally {
            spec.clearPassword();
            java.util.Arrays.fill(chars, '\0');
        }
    }
}
