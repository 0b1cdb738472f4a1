package crumbhub.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-shot AES-256-GCM with a 96-bit nonce and a 128-bit tag; output is {@code ciphertext || tag}.
 * Stateless and thread-safe (a new {@link Cipher} per call). The caller guarantees a nonce is
 * never reused under one key; for many messages under one key, use a Noise {@code CipherState}.
 */
public final class Aead {
    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private Aead() {}

    /** Encrypts and authenticates {@code plaintext}, authenticating {@code ad} too (null = empty). */
    public static byte[] seal(byte[] key32, byte[] nonce12, byte[] ad, byte[] plaintext) {
        try {
            var cipher = init(Cipher.ENCRYPT_MODE, key32, nonce12, ad);
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Verifies and decrypts {@code ciphertext || tag}.
     *
     * @throws CryptoException if the input is shorter than a tag or does not authenticate
     */
    public static byte[] open(byte[] key32, byte[] nonce12, byte[] ad, byte[] ciphertext) throws CryptoException {
        if (ciphertext.length < TAG_LENGTH) {
            throw new CryptoException("AES-GCM ciphertext shorter than its tag");
        }
        try {
            var cipher = init(Cipher.DECRYPT_MODE, key32, nonce12, ad);
            return cipher.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new CryptoException("AES-GCM authentication failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /**
     * A decryptor of many messages under one key that keeps one {@link Cipher}: a fresh process
     * spends most of a small decryption finding and setting up the cipher, so a search that opens
     * hundreds of small records opens them through one of these (docs/benchmarks.md, "Search").
     * Not thread-safe. Like every call of this class, it keeps the key in a {@link SecretKeySpec}
     * (a copy the JDK makes, unreachable for zeroing) until it is collected.
     */
    public static final class Opener {
        private final SecretKeySpec key;
        private final Cipher cipher;

        private Opener(byte[] key32) {
            if (key32.length != KEY_LENGTH) {
                throw new IllegalArgumentException("AES-256-GCM key must be " + KEY_LENGTH + " bytes");
            }
            key = new SecretKeySpec(key32, Algorithms.AES);
            try {
                cipher = Cipher.getInstance(Algorithms.AES_GCM);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM is part of every JDK", e);
            }
        }

        /**
         * Verifies and decrypts {@code sealed} = {@code nonce[12] || ciphertext || tag} with {@code
         * ad} (null = empty), as {@link Aead#open} does with the nonce split off.
         *
         * @throws CryptoException if the input is too short or does not authenticate
         */
        public byte[] openSealed(byte[] sealed, byte[] ad) throws CryptoException {
            if (sealed.length < NONCE_LENGTH + TAG_LENGTH) {
                throw new CryptoException("AES-GCM ciphertext shorter than its nonce and tag");
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, sealed, 0, NONCE_LENGTH));
                if (ad != null && ad.length > 0) {
                    cipher.updateAAD(ad);
                }
                return cipher.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
            } catch (AEADBadTagException e) {
                throw new CryptoException("AES-GCM authentication failed");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM decryption failed", e);
            }
        }
    }

    /** An {@link Opener} for {@code key32} (copied). */
    public static Opener opener(byte[] key32) {
        return new Opener(key32);
    }

    private static Cipher init(int mode, byte[] key32, byte[] nonce12, byte[] ad) throws GeneralSecurityException {
        if (key32.length != KEY_LENGTH) {
            throw new IllegalArgumentException("AES-256-GCM key must be " + KEY_LENGTH + " bytes");
        }
        if (nonce12.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("AES-GCM nonce must be " + NONCE_LENGTH + " bytes");
        }
        var cipher = Cipher.getInstance(Algorithms.AES_GCM);
        cipher.init(mode, new SecretKeySpec(key32, Algorithms.AES), new GCMParameterSpec(TAG_LENGTH * 8, nonce12));
        if (ad != null && ad.length > 0) {
            cipher.updateAAD(ad);
        }
        return cipher;
    }
}
