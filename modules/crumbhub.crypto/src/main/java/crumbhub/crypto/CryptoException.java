package crumbhub.crypto;

/**
 * A cryptographic operation failed on untrusted input: a bad tag, a malformed encoding, a weak
 * public key. The message names the operation and never contains key material or plaintext.
 */
public final class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The failure of a {@link crumbhub.crypto.binary.BinaryReader} over an end-to-end encoding
     * ({@code what}: "ratchet message", "prekey bundle" …): every crypto decoder maps malformed
     * input to this exception here.
     */
    public static CryptoException malformed(String what, String detail) {
        return new CryptoException(what + ": malformed (" + detail + ")");
    }
}
