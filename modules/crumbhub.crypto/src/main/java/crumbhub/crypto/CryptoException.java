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
}
