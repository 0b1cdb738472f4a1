package crumbhub.client;

/**
 * The one failure type of the client: a sentence for the user and the kind of failure,
 * which decides the process exit code. The message is always a complete, single-line
 * sentence fit for stderr; it never contains a secret.
 */
public final class ClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, and the exit code the CLI reports for it (documented in docs/client.md). */
    public enum Kind {
        /** Bad command line: unknown command or option, missing or invalid argument. */
        USAGE(1),
        /** The server refused the request (an {@code ERROR} frame) or broke the protocol. */
        REFUSED(2),
        /** Could not connect, the connection broke, or a reply timed out. */
        NETWORK(3),
        /** The local home directory: unreadable, tampered with, wrong passphrase, no session. */
        LOCAL_STORE(4),
        /** The server's key does not match the pinned or the expected fingerprint. */
        IDENTITY(5);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;
    /** The code of the server's ERROR frame that caused this refusal, or null. */
    private final String serverCode;

    public ClientException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public ClientException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    private ClientException(Kind kind, String message, Throwable cause, String serverCode) {
        super(message, cause);
        this.kind = kind;
        this.serverCode = serverCode;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The {@code code} of the server's ERROR frame ({@code not_found}, {@code too_large} …) when
     * the server refused the request; empty for every other failure, including refusals the
     * client decided itself (an unexpected reply, a key list that does not check out).
     */
    public java.util.Optional<String> serverCode() {
        return java.util.Optional.ofNullable(serverCode);
    }

    public static ClientException usage(String message) {
        return new ClientException(Kind.USAGE, message);
    }

    public static ClientException refused(String message) {
        return new ClientException(Kind.REFUSED, message);
    }

    /** The server answered with ERROR {@code code}; {@code message} is the sentence for the user. */
    public static ClientException refusedByServer(String message, String code) {
        return new ClientException(Kind.REFUSED, message, null, java.util.Objects.requireNonNull(code, "code"));
    }

    public static ClientException network(String message, Throwable cause) {
        return new ClientException(Kind.NETWORK, message, cause);
    }

    public static ClientException store(String message) {
        return new ClientException(Kind.LOCAL_STORE, message);
    }

    public static ClientException store(String message, Throwable cause) {
        return new ClientException(Kind.LOCAL_STORE, message, cause);
    }

    public static ClientException identity(String message) {
        return new ClientException(Kind.IDENTITY, message);
    }
}
