package crumbhub.server.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The limit settings of the command line, environment and configuration file (one key each,
 * {@code --key-with-dashes}, {@code CRUMBHUB_KEY_WITH_UNDERSCORES}, {@code key.with.dots}), applied
 * to a {@link ServerOptions.Builder}. Kept apart from {@link crumbhub.server.CommandLine}'s own
 * keys so that each setting, its help line and its validation sit together.
 */
public final class LimitSettings {
    public static final Set<String> KEYS = Set.of("handshake.timeout", "auth.timeout", "idle.timeout",
            "max.connections", "max.connections.per.address", "max.body.bytes", "max.outbound.bytes",
            "rate.connection", "rate.user", "rate.register.address", "rate.register.global",
            "login.delay", "login.delay.max");

    public static final String HELP = """
            Limits (docs/security.md; same precedence, CRUMBHUB_ + key in upper case with underscores):
              --handshake-timeout D          Noise handshake must finish within D (default 10s)
              --auth-timeout D               log in within D of the handshake (default 30s)
              --idle-timeout D               close after D without a frame (default 300s)
              --max-connections N            connections at once (default 10000)
              --max-connections-per-address N  from one IPv4 address or IPv6 /64 (default 64)
              --max-body-bytes N             largest message body, at most 60000 (default 60000)
              --max-outbound-bytes N         bytes queued to a client before live pushes pause (default 1048576)
              --rate-connection N/D          requests per connection, token bucket (default 5000/10s)
              --rate-user N/D                requests per user over all connections (default 10000/10s)
              --rate-register-address N/D    registrations from one address (default 20/1h)
              --rate-register-global N/D     registrations from everywhere (default 200/1h)
              --login-delay D                delay after a failed login, doubling per failure (default 1s)
              --login-delay-max D            longest login delay (default 60s)
            """;

    private LimitSettings() {}

    /** Applies every limit key present in {@code s}; the others keep the builder's values. */
    public static void apply(Map<String, String> s, ServerOptions.Builder b) throws ConfigException {
        LimitOptions l = b.limits();
        if (s.containsKey("handshake.timeout")) {
            l = l.withHandshakeTimeout(duration(s, "handshake.timeout"));
        }
        if (s.containsKey("max.connections") || s.containsKey("max.connections.per.address")) {
            l = l.withConnections(count(s, "max.connections", l.maxConnections(), 1_000_000),
                    count(s, "max.connections.per.address", l.maxConnectionsPerAddress(), 1_000_000));
        }
        if (s.containsKey("max.body.bytes")) {
            l = l.withMaxBodyBytes(count(s, "max.body.bytes", l.maxBodyBytes(), crumbhub.wire.Limits.BODY));
        }
        if (s.containsKey("rate.connection") || s.containsKey("rate.user")) {
            l = l.withRequests(rate(s, "rate.connection", l.connectionRequests()), rate(s, "rate.user", l.userRequests()));
        }
        if (s.containsKey("rate.register.address") || s.containsKey("rate.register.global")) {
            l = l.withRegistrations(rate(s, "rate.register.address", l.registrationsPerAddress()),
                    rate(s, "rate.register.global", l.registrations()));
        }
        b.limits(l);
        if (s.containsKey("auth.timeout")) {
            b.authTimeout(duration(s, "auth.timeout"));
        }
        if (s.containsKey("idle.timeout")) {
            b.idleTimeout(duration(s, "idle.timeout"));
        }
        if (s.containsKey("max.outbound.bytes")) {
            b.maxOutboundBytes(count(s, "max.outbound.bytes", 0, 256 << 20));
            if (Long.parseLong(s.get("max.outbound.bytes")) < 65_536) {
                throw new ConfigException("--max-outbound-bytes must be at least 65536 (one full message), got '"
                        + s.get("max.outbound.bytes") + "'");
            }
        }
        if (s.containsKey("login.delay") || s.containsKey("login.delay.max")) {
            Duration base = s.containsKey("login.delay") ? duration(s, "login.delay") : Duration.ofSeconds(1);
            Duration cap = s.containsKey("login.delay.max") ? duration(s, "login.delay.max") : Duration.ofSeconds(60);
            if (cap.compareTo(base) < 0) {
                throw new ConfigException("--login-delay-max must not be shorter than --login-delay");
            }
            b.throttle(base, cap);
        }
    }

    private static String flag(String key) {
        return "--" + key.replace('.', '-');
    }

    private static Duration duration(Map<String, String> s, String key) throws ConfigException {
        return Durations.parse(flag(key), s.get(key));
    }

    private static Rate rate(Map<String, String> s, String key, Rate fallback) throws ConfigException {
        return s.containsKey(key) ? Rate.parse(flag(key), s.get(key)) : fallback;
    }

    private static int count(Map<String, String> s, String key, int fallback, int max) throws ConfigException {
        if (!s.containsKey(key)) {
            return fallback;
        }
        String v = s.get(key);
        if (!v.matches("[0-9]{1,10}") || Long.parseLong(v) < 1 || Long.parseLong(v) > max) {
            throw new ConfigException(flag(key) + " must be a whole number from 1 to " + max + ", got '" + v + "'");
        }
        return Integer.parseInt(v);
    }
}
