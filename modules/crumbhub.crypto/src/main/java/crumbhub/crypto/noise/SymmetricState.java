package crumbhub.crypto.noise;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The Noise SymmetricState (rev 34, section 5.2) with SHA-256: chaining key {@code ck},
 * handshake hash {@code h} and a {@link CipherState}. HKDF is RFC 5869 HKDF-SHA256 with
 * {@code ck} as salt and empty info, which is exactly Noise's HKDF (section 4.3).
 * Owned by one {@link HandshakeState}; not thread-safe.
 */
final class SymmetricState {
    static final int HASH_LENGTH = 32;

    private final MessageDigest sha256;
    private final CipherState cipher = new CipherState();
    private byte[] ck;
    private byte[] h;

    /** InitializeSymmetric(protocolName). */
    SymmetricState(String protocolName) {
        try {
            sha256 = MessageDigest.getInstance(Algorithms.SHA256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + Algorithms.SHA256, e);
        }
        var name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256.digest(name);
        ck = h.clone();
    }

    void mixKey(byte[] ikm) {
        var out = Hkdf.derive(ck, ikm, null, 2 * HASH_LENGTH);
        replaceCk(Arrays.copyOfRange(out, 0, HASH_LENGTH));
        var k = Arrays.copyOfRange(out, HASH_LENGTH, 2 * HASH_LENGTH);
        cipher.initializeKey(k);
        Bytes.zero(out, k);
    }

    void mixHash(byte[] data) {
        sha256.update(h);
        sha256.update(data);
        h = sha256.digest();
    }

    void mixKeyAndHash(byte[] ikm) {
        var out = Hkdf.derive(ck, ikm, null, 3 * HASH_LENGTH);
        replaceCk(Arrays.copyOfRange(out, 0, HASH_LENGTH));
        mixHash(Arrays.copyOfRange(out, HASH_LENGTH, 2 * HASH_LENGTH));
        var k = Arrays.copyOfRange(out, 2 * HASH_LENGTH, 3 * HASH_LENGTH);
        cipher.initializeKey(k);
        Bytes.zero(out, k);
    }

    boolean hasKey() {
        return cipher.hasKey();
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
        var ciphertext = cipher.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
        var plaintext = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    /** Split(): the two transport CipherStates, c1 (initiator to responder) and c2. */
    CipherState[] split() {
        var out = Hkdf.derive(ck, new byte[0], null, 2 * HASH_LENGTH);
        var k1 = Arrays.copyOfRange(out, 0, HASH_LENGTH);
        var k2 = Arrays.copyOfRange(out, HASH_LENGTH, 2 * HASH_LENGTH);
        var c1 = new CipherState();
        var c2 = new CipherState();
        c1.initializeKey(k1);
        c2.initializeKey(k2);
        Bytes.zero(out, k1, k2);
        return new CipherState[] {c1, c2};
    }

    /** A checkpoint of everything a message can change, for rollback after a failure. */
    Checkpoint checkpoint() {
        return new Checkpoint(ck.clone(), h.clone(), cipher.keyCopy(), cipher.nonce());
    }

    void rollback(Checkpoint c) {
        replaceCk(c.ck.clone());
        h = c.h.clone();
        cipher.restore(c.k, c.n);
    }

    /** Zeroes the chaining key and the handshake cipher key. */
    void destroy() {
        Bytes.zero(ck);
        cipher.destroy();
    }

    private void replaceCk(byte[] next) {
        Bytes.zero(ck);
        ck = next;
    }

    /** Saved symmetric state; {@link #discard()} zeroes it once it is no longer needed. */
    record Checkpoint(byte[] ck, byte[] h, byte[] k, long n) {
        void discard() {
            Bytes.zero(ck, k);
        }

        @Override
        public String toString() {
            return "Checkpoint[<redacted>]";
        }
    }
}
