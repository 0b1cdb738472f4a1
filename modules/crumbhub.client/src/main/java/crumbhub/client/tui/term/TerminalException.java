package crumbhub.client.tui.term;

/** The terminal could not be set up, read or written. The message is one sentence for the user. */
public final class TerminalException extends RuntimeException {
    public TerminalException(String message) {
        super(message);
    }

    public TerminalException(String message, Throwable cause) {
        super(message, cause);
    }
}
