package crumbhub.client.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The session's link to the server, as the status line shows it. */
public sealed interface ConnectionState {
    record Connected() implements ConnectionState {
    }

    /** A connection attempt is under way; {@code attempt} counts from 1 since the last success. */
    record Connecting(int attempt) implements ConnectionState {
    }

    /** Not connected; the next automatic attempt is at {@code retryAt}, if one is planned. */
    record Offline(Optional<Instant> retryAt, String reason) implements ConnectionState {
        public Offline {
            Objects.requireNonNull(retryAt, "retryAt");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
