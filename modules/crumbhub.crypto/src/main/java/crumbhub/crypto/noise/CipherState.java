package crumbhub.crypto.noise;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState (rev 34, section 5.1) for AESGCM: a 32-byte key {@code k} (or none) and a
 * 64-bit nonce {@code n}. The AES-GCM nonce is 32 zero bits followed by {@code n} big-endian
 * (section 12.3). One {@link Cipher} is reused for every message. It is taken on first use from a
 * pool of idle ciphers kept per thread (or created), and {@link #release()} gives it back while the
 * state is not in use, so a quiet connection keeps little more than its 32-byte key and a busy one
 * reuses a cipher a quiet one gave back instead of leaving it to the garbage collector.
 *
 * <p>Not thread-safe: each direction of a connection is owned by one thread at a time. A failed
 * decryption leaves {@code n} unchanged, so a forged message cannot desynchronise the stream.
 * Nonce 2^64-1 is reserved for {@link #rekey()}; after 2^64-1 messages every call throws.
 */
public final class CipherState {
    /** Noise section 3: no message, handshake or transport, exceeds this many bytes. */
    public static final int MAX_MESSAGE_LENGTH = 65_535;
    public static final int TAG_LENGTH = 16;
    public static final int KEY_LENGTH = 32;
    /** The largest plaintext that fits one Noise message. */
    public static final int MAX_PLAINTEXT_LENGTH = MAX_MESSAGE_LENGTH - TAG_LENGTH;
    /** 2^64-1 as an unsigned long: reserved, never used to encrypt a message. */
    private static final long RESERVED_NONCE = -1L;
    private static final byte[] EMPTY = new byte[0];
    /** Idle ciphers kept per thread: a bound on what a burst of connections going quiet can hold (~0.7 KB each). */
    static final int POOL_LIMIT = 1024;
    private static final ThreadLocal<ArrayDeque<Cipher>> POOL = ThreadLocal.withInitial(ArrayDeque::new);

    /** Created on first use; null after {@link #release()}. */
    private Cipher cipher;
    /** The AES-GCM nonce buffer, created with {@link #cipher}. */
    private byte[] iv;
    private byte[] key;
    /** The JCE form of {@link #key}, created with {@link #cipher}. */
    private SecretKeySpec keySpec;
    private long n;
    private boolean destroyed;

    CipherState() {}

    /** InitializeKey(k): sets the key and resets the nonce to 0. */
    void initializeKey(byte[] k) {
        setKey(k);
        n = 0;
    }

    boolean hasKey() {
        return key != null;
    }

    /** The number of messages processed so far, an unsigned 64-bit value. */
    public long nonce() {
        return n;
    }

    /** SetNonce (section 5.1); for tests and out-of-order transports that carry the nonce. */
    void setNonce(long nonce) {
        n = nonce;
    }

    /**
     * EncryptWithAd: AES-GCM under the next nonce; with no key, returns a copy of the plaintext.
     *
     * @throws NoiseException if the nonces are exhausted
     * @throws IllegalArgumentException if the plaintext does not fit one Noise message
     */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
        ensureUsable();
        checkPlaintextLength(plaintext.length);
        if (key == null) {
            return plaintext.clone();
        }
        checkNonce();
        try {
            init(Cipher.ENCRYPT_MODE, n, ad);
            var out = cipher.doFinal(plaintext);
            n++;
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * DecryptWithAd: verifies and decrypts; with no key, returns a copy of the input. On failure
     * the nonce does not advance.
     *
     * @throws NoiseException if authentication fails, the input is malformed or nonces are exhausted
     */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
        ensureUsable();
        checkCiphertextLength(ciphertext.length);
        if (key == null) {
            return ciphertext.clone();
        }
        checkNonce();
        try {
            init(Cipher.DECRYPT_MODE, n, ad);
            var out = cipher.doFinal(ciphertext);
            n++;
            return out;
        } catch (AEADBadTagException e) {
            throw new NoiseException("Noise message failed authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /**
     * Encrypts the remaining bytes of {@code plaintext} with empty associated data into
     * {@code out} (ciphertext then tag), advancing both buffers. Allocates nothing of its own
     * beyond the JDK's per-message GCM parameters. The buffers may be the same (in place).
     *
     * @return the number of bytes written, plaintext length + 16
     * @throws NoiseException if the nonces are exhausted
     * @throws IllegalArgumentException if the plaintext is too long or {@code out} has too little room
     */
    public int encrypt(ByteBuffer plaintext, ByteBuffer out) throws NoiseException {
        ensureUsable();
        int length = plaintext.remaining();
        checkPlaintextLength(length);
        if (key == null) {
            requireRoom(out, length);
            out.put(plaintext);
            return length;
        }
        requireRoom(out, length + TAG_LENGTH);
        checkNonce();
        try {
            init(Cipher.ENCRYPT_MODE, n, EMPTY);
            int written = cipher.doFinal(plaintext, out);
            n++;
            return written;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Verifies and decrypts the remaining bytes of {@code ciphertext} (empty associated data)
     * into {@code out}, advancing both buffers. On failure the nonce and both buffer positions
     * are left unchanged.
     *
     * @return the number of plaintext bytes written
     * @throws NoiseException if authentication fails, the input is malformed or nonces are exhausted
     * @throws IllegalArgumentException if {@code out} has too little room
     */
    public int decrypt(ByteBuffer ciphertext, ByteBuffer out) throws NoiseException {
        ensureUsable();
        int length = ciphertext.remaining();
        checkCiphertextLength(length);
        if (key == null) {
            requireRoom(out, length);
            out.put(ciphertext);
            return length;
        }
        requireRoom(out, length - TAG_LENGTH);
        checkNonce();
        int inStart = ciphertext.position();
        int outStart = out.position();
        try {
            init(Cipher.DECRYPT_MODE, n, EMPTY);
            int written = cipher.doFinal(ciphertext, out);
            n++;
            return written;
        } catch (AEADBadTagException e) {
            ciphertext.position(inStart);
            out.position(outStart);
            throw new NoiseException("Noise message failed authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /**
     * Rekey (section 11.3): k = the first 32 bytes of ENCRYPT(k, 2^64-1, empty, 32 zero bytes).
     * The nonce is unchanged. Both sides must rekey at the same point in the stream.
     */
    public void rekey() {
        ensureUsable();
        if (key == null) {
            throw new IllegalStateException("cannot rekey a CipherState without a key");
        }
        try {
            init(Cipher.ENCRYPT_MODE, RESERVED_NONCE, EMPTY);
            var block = cipher.doFinal(new byte[KEY_LENGTH]);
            var next = Arrays.copyOf(block, KEY_LENGTH);
            Bytes.zero(block);
            setKey(next);
            Bytes.zero(next);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Gives the JCE cipher object back to the calling thread's pool and drops the key's JCE form
     * and the nonce buffer (together about 0.8 KB) until the next operation takes them again (a
     * few microseconds: the cipher expands the key anew). The key and nonce are kept. For a
     * connection that has gone quiet.
     */
    public void release() {
        if (cipher != null) {
            ArrayDeque<Cipher> pool = POOL.get();
            if (pool.size() < POOL_LIMIT) {
                pool.push(cipher);
            }
            cipher = null;
        }
        keySpec = null;
        iv = null;
    }

    /** Zeroes the key; every later operation throws {@link IllegalStateException}. */
    void destroy() {
        if (key != null) {
            Bytes.zero(key);
        }
        key = null;
        release();
        destroyed = true;
    }

    /** A copy of the key for a handshake checkpoint, or null when there is none. */
    byte[] keyCopy() {
        return key == null ? null : key.clone();
    }

    /** Restores a checkpoint taken with {@link #keyCopy()} and {@link #nonce()}. */
    void restore(byte[] k, long nonce) {
        if (k == null) {
            if (key != null) {
                Bytes.zero(key);
            }
            key = null;
            release();
        } else {
            setKey(k);
        }
        n = nonce;
    }

    @Override
    public String toString() {
        return "CipherState[" + (key == null ? "no key" : "key=<redacted>") + ", n=" + Long.toUnsignedString(n) + "]";
    }

    private void setKey(byte[] k) {
        if (k.length != KEY_LENGTH) {
            throw new IllegalArgumentException("Noise AESGCM key must be " + KEY_LENGTH + " bytes");
        }
        if (key != null) {
            Bytes.zero(key);
        }
        key = k.clone();
        keySpec = null;
    }

    private void init(int mode, long nonce, byte[] ad) throws GeneralSecurityException {
        if (cipher == null) {
            cipher = POOL.get().poll();
            if (cipher == null) {
                try {
                    cipher = Cipher.getInstance(Algorithms.AES_GCM);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the JDK has no " + Algorithms.AES_GCM, e);
                }
            }
            iv = new byte[12];
        }
        if (keySpec == null) {
            keySpec = new SecretKeySpec(key, Algorithms.AES);
        }
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (nonce >>> (56 - 8 * i));
        }
        cipher.init(mode, keySpec, new GCMParameterSpec(TAG_LENGTH * 8, iv));
        if (ad != null && ad.length > 0) {
            cipher.updateAAD(ad);
        }
    }

    private void ensureUsable() {
        if (destroyed) {
            throw new IllegalStateException("CipherState was destroyed");
        }
    }

    private void checkNonce() throws NoiseException {
        if (n == RESERVED_NONCE) {
            throw new NoiseException("Noise nonces exhausted: the connection must be closed");
        }
    }

    private static void checkPlaintextLength(int length) {
        if (length > MAX_PLAINTEXT_LENGTH) {
            throw new IllegalArgumentException("plaintext of " + length + " bytes exceeds one Noise message");
        }
    }

    private void checkCiphertextLength(int length) throws NoiseException {
        if (length > MAX_MESSAGE_LENGTH) {
            throw new NoiseException("Noise message longer than " + MAX_MESSAGE_LENGTH + " bytes");
        }
        if (key != null && length < TAG_LENGTH) {
            throw new NoiseException("Noise message shorter than its tag");
        }
    }

    private static void requireRoom(ByteBuffer out, int needed) {
        if (out.remaining() < needed) {
            throw new IllegalArgumentException("output buffer needs " + needed + " bytes, has " + out.remaining());
        }
    }
}
