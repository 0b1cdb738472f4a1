package crumbhub.client.home;

import crumbhub.client.ClientException;
import crumbhub.crypto.Aead;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The at-rest format of every encrypted file in the home directory (docs/design.md §5):
 *
 * <pre>
 *   "CHSF"  u8 version (= 1)  nonce[12]  AES-256-GCM(storeKey, nonce, ad, plaintext) || tag[16]
 *   ad = "CHSF" || version || purpose (UTF-8)
 * </pre>
 *
 * The purpose ({@code "session"}, {@code "device-key"}, …) is authenticated, so one file cannot
 * be passed off as another. Nonces are random; one store key seals far fewer than the 2^32
 * messages that random 96-bit nonces allow. Pure: no I/O.
 */
public final class SealedFile {
    static final byte[] MAGIC = {'C', 'H', 'S', 'F'};
    static final int VERSION = 1;
    static final int HEADER_LENGTH = MAGIC.length + 1 + Aead.NONCE_LENGTH;
    /** Plaintext bound: the largest record the client keeps is far below it. */
    public static final int MAX_PLAINTEXT = 1 << 20;
    public static final int MAX_FILE = HEADER_LENGTH + MAX_PLAINTEXT + Aead.TAG_LENGTH;

    private SealedFile() {}

    public static byte[] seal(byte[] storeKey, String purpose, byte[] plaintext, SecureRandom rng) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("sealed record over " + MAX_PLAINTEXT + " bytes");
        }
        var nonce = new byte[Aead.NONCE_LENGTH];
        rng.nextBytes(nonce);
        var ciphertext = Aead.seal(storeKey, nonce, ad(purpose), plaintext);
        return Bytes.concat(MAGIC, new byte[] {VERSION}, nonce, ciphertext);
    }

    /**
     * The plaintext of {@code file}, which was read from {@code name}.
     *
     * @throws ClientException (local store) naming the file if it is not a sealed file of a
     *         known version, or if it was altered or sealed under another key
     */
    public static byte[] open(byte[] storeKey, String purpose, byte[] file, String name) {
        if (file.length < HEADER_LENGTH + Aead.TAG_LENGTH
            || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw ClientException.store(name + " is not a CrumbHub encrypted file");
        }
        int version = file[MAGIC.length] & 0xff;
        if (version != VERSION) {
            throw ClientException.store(name + " has format version " + version
                    + ", which this client does not know; use a newer crumbhub-client");
        }
        var nonce = Arrays.copyOfRange(file, MAGIC.length + 1, HEADER_LENGTH);
        var ciphertext = Arrays.copyOfRange(file, HEADER_LENGTH, file.length);
        try {
            return Aead.open(storeKey, nonce, ad(purpose), ciphertext);
        } catch (CryptoException e) {
            throw ClientException.store(name + " failed its integrity check: it was altered, damaged,"
                    + " or encrypted under another store key", e);
        }
    }

    /** Whether {@code file} opens under {@code storeKey}; used to recover an interrupted re-key. */
    static boolean opensWith(byte[] storeKey, String purpose, byte[] file) {
        try {
            Bytes.zero(open(storeKey, purpose, file, "file"));
            return true;
        } catch (ClientException e) {
            return false;
        }
    }

    private static byte[] ad(String purpose) {
        return Bytes.concat(MAGIC, new byte[] {VERSION}, purpose.getBytes(StandardCharsets.UTF_8));
    }
}
