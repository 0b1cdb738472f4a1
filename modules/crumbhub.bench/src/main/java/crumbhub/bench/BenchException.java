package crumbhub.bench;

/**
 * The one failure type of the bench: bad options, a server that cannot be reached or refuses
 * the bench's users, a setup step that timed out. Its message is one sentence for the user;
 * {@link BenchMain} prints it on stderr and exits non-zero.
 */
public final class BenchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
