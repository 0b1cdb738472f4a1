package crumbhub.crypto.e2ee;

import crumbhub.crypto.Aead;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Hkdf;
import java.util.Arrays;

/**
 * An AES-256-GCM key and nonce expanded from a one-use message key seed with HKDF-SHA256
 * (salt: 32 zero bytes, info: the protocol's label). Each seed encrypts exactly one message, so
 * the derived nonce is never reused under its key. {@link #close()} zeroes both.
 */
public final class MessageKeys implements AutoCloseable {
    private static final int OUTPUT_LENGTH = Aead.KEY_LENGTH + Aead.NONCE_LENGTH;

    private final byte[] key;
    private final byte[] nonce;

    private MessageKeys(byte[] key, byte[] nonce) {
        this.key = key;
        this.nonce = nonce;
    }

    public static MessageKeys derive(byte[] seed, byte[] info) {
        var okm = Hkdf.derive(null, seed, info, OUTPUT_LENGTH);
        try {
            return new MessageKeys(Arrays.copyOf(okm, Aead.KEY_LENGTH), Arrays.copyOfRange(okm, Aead.KEY_LENGTH, OUTPUT_LENGTH));
        } finally {
            Bytes.zero(okm);
        }
    }

    public byte[] seal(byte[] ad, byte[] plaintext) {
        return Aead.seal(key, nonce, ad, plaintext);
    }

    public byte[] open(byte[] ad, byte[] ciphertext) throws CryptoException {
        return Aead.open(key, nonce, ad, ciphertext);
    }

    @Override
    public void close() {
        Bytes.zero(key, nonce);
    }

    @Override
    public String toString() {
        return "MessageKeys[<redacted>]";
    }
}
