package crumbhub.client.chat;

import java.util.Objects;

/**
 * Why a request failed, for people and for programs: a stable code (the server's ERROR code, such
 * as {@code not_found} or {@code forbidden}, or one of the local codes below) and one sentence.
 */
public record Failure(String code, String message) {
    /** Not connected, and the connection did not come back in time. */
    public static final String OFFLINE = "offline";
    /** Connected, but no reply in time. */
    public static final String TIMEOUT = "timeout";
    /** The connection broke before the reply. */
    public static final String NETWORK = "network";
    /** The session cannot go on (server key changed, session expired, local store failed). */
    public static final String STOPPED = "stopped";
    /** The request itself is wrong (too long, bad name), found before anything was sent. */
    public static final String INVALID = "invalid";

    public Failure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
