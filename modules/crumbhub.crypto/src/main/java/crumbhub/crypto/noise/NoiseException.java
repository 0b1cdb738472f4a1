package crumbhub.crypto.noise;

/**
 * A Noise message could not be processed: it failed authentication, had the wrong length, came
 * out of turn, carried a weak public key, or a nonce ran out. The message never contains keys
 * or plaintext. A peer that causes one should be disconnected.
 */
public final class NoiseException extends Exception {
    private static final long serialVersionUID = 1L;

    public NoiseException(String message) {
        super(message);
    }

    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
