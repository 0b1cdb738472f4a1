package crumbhub.server;

import crumbhub.server.CommandLine.Setting;
import crumbhub.server.CommandLine.Value;
import crumbhub.server.config.AbuseLimits;
import crumbhub.server.config.ConfigException;
import crumbhub.server.config.Durations;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.Rate;
import crumbhub.server.config.ServerOptions;
import crumbhub.wire.Limits;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The limit settings (docs/security.md "Limits and failure behaviour"), each with its flag,
 * environment variable and file key like every other {@link Setting}, applied to a
 * {@link ServerOptions.Builder}. Kept apart from {@link CommandLine} so that each limit, its
 * help line and its validation sit together.
 */
final class LimitSettings {
    static final List<Setting> SETTINGS = List.of(
            new Setting("handshake.timeout", "DURATION", "10s", "the Noise handshake must finish within this"),
            new Setting("auth.timeout", "DURATION", "30s", "a connection must log in within this of its handshake"),
            new Setting("idle.timeout", "DURATION", "300s", "a connection without any frame for this long is closed"),
            new Setting("max.connections", "N", "10000", "connections at once, handshakes included"),
            new Setting("max.connections.per.address", "N", "64", "connections at once from one IPv4 address or IPv6 /64"),
            new Setting("max.body.bytes", "N", "60000", "largest message body, at most 60000"),
            new Setting("max.outbound.bytes", "N", "1048576", "bytes queued for a slow client before live pushes pause"),
            new Setting("max.outbound.total.bytes", "SIZE", "heap/8",
                    "bytes queued for all clients before pushes pause"),
            new Setting("rate.connection", "N/DURATION", "5000/10s", "requests per connection (token bucket)"),
            new Setting("rate.user", "N/DURATION", "10000/10s", "requests per user over all their connections"),
            new Setting("rate.register.address", "N/DURATION", "20/1h", "registrations from one address"),
            new Setting("rate.register.global", "N/DURATION", "200/1h", "registrations from everywhere together"),
            new Setting("rate.key.upload", "N/DURATION", "20/1m", "end-to-end key uploads per connection"),
            new Setting("login.delay", "DURATION", "1s", "delay after a failed login, doubling with each failure"),
            new Setting("login.delay.max", "DURATION", "60s", "longest delay after failed logins"),
            new Setting("password.min.length", "N", String.valueOf(AbuseLimits.PASSWORD_FLOOR),
                    "characters a new password needs (at least " + AbuseLimits.PASSWORD_FLOOR + ")"),
            new Setting("rate.lookup.stranger", "N/DURATION", "30/1h",
                    "lookups of users sharing no room or conversation"),
            new Setting("rate.bundle.requester", "N/DURATION", "200/1h", "prekey bundles per account"),
            new Setting("rate.bundle.target", "N/DURATION", "20/1h",
                    "one-time prekeys handed out per device"));

    private LimitSettings() {}

    /** Applies every limit present in {@code s}; the others keep the builder's values. */
    static void apply(Map<String, Value> s, ServerOptions.Builder b) throws ConfigException {
        LimitOptions l = b.limits();
        if (s.get("handshake.timeout") instanceof Value v) {
            l = l.withHandshakeTimeout(Durations.parse(v.source(), v.text()));
        }
        if (s.containsKey("max.connections") || s.containsKey("max.connections.per.address")) {
            l = l.withConnections(count(s.get("max.connections"), l.maxConnections(), 1_000_000),
                    count(s.get("max.connections.per.address"), l.maxConnectionsPerAddress(), 1_000_000));
        }
        if (s.get("max.body.bytes") instanceof Value v) {
            l = l.withMaxBodyBytes(count(v, 0, Limits.BODY));
        }
        if (s.containsKey("rate.connection") || s.containsKey("rate.user")) {
            l = l.withRequests(rate(s.get("rate.connection"), l.connectionRequests()),
                    rate(s.get("rate.user"), l.userRequests()));
        }
        if (s.containsKey("rate.register.address") || s.containsKey("rate.register.global")) {
            l = l.withRegistrations(rate(s.get("rate.register.address"), l.registrationsPerAddress()),
                    rate(s.get("rate.register.global"), l.registrations()));
        }
        if (s.get("rate.key.upload") instanceof Value v) {
            l = l.withKeyUploads(Rate.parse(v.source(), v.text()));
        }
        b.limits(l);
        applyAbuse(s, b);
        if (s.get("auth.timeout") instanceof Value v) {
            b.authTimeout(Durations.parse(v.source(), v.text()));
        }
        if (s.get("idle.timeout") instanceof Value v) {
            b.idleTimeout(Durations.parse(v.source(), v.text()));
        }
        if (s.get("max.outbound.bytes") instanceof Value v) {
            int n = count(v, 0, 256 << 20);
            if (n < 65_536) {
                throw new ConfigException(v.source() + " must be at least 65536 (one full message), got '"
                        + v.text() + "'");
            }
            b.maxOutboundBytes(n);
        }
        if (s.get("max.outbound.total.bytes") instanceof Value v) {
            b.maxOutboundTotalBytes(QuotaSettings.size(v, 0, 1L << 20));
        }
        if (s.containsKey("login.delay") || s.containsKey("login.delay.max")) {
            Value base = s.get("login.delay");
            Value cap = s.get("login.delay.max");
            Duration baseD = base == null ? Duration.ofSeconds(1) : Durations.parse(base.source(), base.text());
            Duration capD = cap == null ? Duration.ofSeconds(60) : Durations.parse(cap.source(), cap.text());
            if (capD.compareTo(baseD) < 0) {
                throw new ConfigException("login.delay.max must not be shorter than login.delay");
            }
            b.throttle(baseD, capD);
        }
    }

    private static void applyAbuse(Map<String, Value> s, ServerOptions.Builder b) throws ConfigException {
        AbuseLimits a = b.abuse();
        if (s.get("password.min.length") instanceof Value v) {
            int n = count(v, 0, Limits.PASSWORD);
            if (n < AbuseLimits.PASSWORD_FLOOR) {
                throw new ConfigException(v.source() + " must be at least " + AbuseLimits.PASSWORD_FLOOR
                        + " (clients refuse shorter passwords before sending), got '" + v.text() + "'");
            }
            a = a.withPasswordMinLength(n);
        }
        if (s.get("rate.lookup.stranger") instanceof Value v) {
            a = a.withStrangerLookups(Rate.parse(v.source(), v.text()));
        }
        if (s.containsKey("rate.bundle.requester") || s.containsKey("rate.bundle.target")) {
            a = a.withBundles(rate(s.get("rate.bundle.requester"), a.bundlesPerRequester()),
                    rate(s.get("rate.bundle.target"), a.bundlesPerTarget()));
        }
        b.abuse(a);
    }

    private static Rate rate(Value v, Rate fallback) throws ConfigException {
        return v == null ? fallback : Rate.parse(v.source(), v.text());
    }

    private static int count(Value v, int fallback, int max) throws ConfigException {
        if (v == null) {
            return fallback;
        }
        String t = v.text();
        if (!t.matches("[0-9]{1,10}") || Long.parseLong(t) < 1 || Long.parseLong(t) > max) {
            throw new ConfigException(v.source() + " must be a whole number from 1 to " + max + ", got '" + t + "'");
        }
        return Integer.parseInt(t);
    }
}
