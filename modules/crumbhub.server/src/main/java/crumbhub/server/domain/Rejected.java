package crumbhub.server.domain;

import java.util.Objects;

/**
 * A request the domain refuses. Thrown by {@link Domain} commands before any state changes,
 * so a refused command leaves the state exactly as it was. The message is a sentence for
 * people and never contains a password, key or message body.
 */
public final class Rejected extends Exception {
    private final Reason reason;

    public Rejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
