package crumbhub.server.config;

import crumbhub.wire.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * The server's defences against floods and hostile clients, validated (docs/security.md
 * "Limits and failure behaviour" gives each default its reason). Timeouts, the outbound bound
 * and the login delays live in {@link ServerOptions} itself.
 *
 * @param handshakeTimeout         from accept to the end of the Noise handshake (protocol §1)
 * @param maxConnections           connections open at once, handshakes included
 * @param maxConnectionsPerAddress connections open at once from one IPv4 address or IPv6 /64
 * @param maxBodyBytes             largest message body a SEND may carry ({@code too_large} above)
 * @param connectionRequests       frames a connection may send (token bucket; {@code throttled} above)
 * @param userRequests             requests all connections of one user may send together
 * @param registrationsPerAddress  REGISTER attempts from one address
 * @param registrations            REGISTER attempts from everywhere together
 * @param keyUploads               KEYS_PUBLISH and KEM_PREKEYS_PUBLISH per connection: each costs signature checks on a
 *                                 network thread, and a device uploads only at login, on refill and weekly
 */
public record LimitOptions(
        Duration handshakeTimeout,
        int maxConnections,
        int maxConnectionsPerAddress,
        int maxBodyBytes,
        Rate connectionRequests,
        Rate userRequests,
        Rate registrationsPerAddress,
        Rate registrations,
        Rate keyUploads) {

    public LimitOptions {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(connectionRequests, "connectionRequests");
        Objects.requireNonNull(userRequests, "userRequests");
        Objects.requireNonNull(registrationsPerAddress, "registrationsPerAddress");
        Objects.requireNonNull(registrations, "registrations");
        Objects.requireNonNull(keyUploads, "keyUploads");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
        if (maxBodyBytes < 1 || maxBodyBytes > Limits.BODY) {
            throw new IllegalArgumentException("maxBodyBytes must be 1.." + Limits.BODY);
        }
    }

    /** What an operator gets without configuration. */
    public static LimitOptions defaults() {
        return new LimitOptions(Duration.ofSeconds(10), 10_000, 64, Limits.BODY,
                Rate.of(5_000, Duration.ofSeconds(10)), Rate.of(10_000, Duration.ofSeconds(10)),
                Rate.of(20, Duration.ofHours(1)), Rate.of(200, Duration.ofHours(1)), Rate.of(20, Duration.ofMinutes(1)));
    }

    /** Limits so wide that load and fuzz tests never meet them; tests only. */
    public static LimitOptions unlimited() {
        Rate wide = Rate.of(1_000_000_000, Duration.ofSeconds(1));
        return new LimitOptions(Duration.ofSeconds(10), 1_000_000, 1_000_000, Limits.BODY, wide, wide, wide, wide, wide);
    }

    public LimitOptions withHandshakeTimeout(Duration v) {
        return new LimitOptions(v, maxConnections, maxConnectionsPerAddress, maxBodyBytes, connectionRequests,
                userRequests, registrationsPerAddress, registrations, keyUploads);
    }

    public LimitOptions withConnections(int total, int perAddress) {
        return new LimitOptions(handshakeTimeout, total, perAddress, maxBodyBytes, connectionRequests, userRequests,
                registrationsPerAddress, registrations, keyUploads);
    }

    public LimitOptions withMaxBodyBytes(int v) {
        return new LimitOptions(handshakeTimeout, maxConnections, maxConnectionsPerAddress, v, connectionRequests,
                userRequests, registrationsPerAddress, registrations, keyUploads);
    }

    public LimitOptions withRequests(Rate perConnection, Rate perUser) {
        return new LimitOptions(handshakeTimeout, maxConnections, maxConnectionsPerAddress, maxBodyBytes,
                perConnection, perUser, registrationsPerAddress, registrations, keyUploads);
    }

    public LimitOptions withRegistrations(Rate perAddress, Rate total) {
        return new LimitOptions(handshakeTimeout, maxConnections, maxConnectionsPerAddress, maxBodyBytes,
                connectionRequests, userRequests, perAddress, total, keyUploads);
    }

    public LimitOptions withKeyUploads(Rate v) {
        return new LimitOptions(handshakeTimeout, maxConnections, maxConnectionsPerAddress, maxBodyBytes,
                connectionRequests, userRequests, registrationsPerAddress, registrations, v);
    }
}
