package crumbhub.server.core;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Growing delays after failed logins, per account name and per source address (DESIGN §4).
 * After n consecutive failures of a key the next attempt is refused with {@code throttled}
 * until {@code base · 2^(n−1)} (at most {@code cap}) has passed, and the failure's own reply is
 * held back that long. Keys are kept whether or not the account exists, so the throttle says
 * nothing about existence. A key is forgotten once it has been quiet for
 * {@link #FORGET_AFTER_CAPS} caps; at most {@code maxKeys} keys are remembered (least recently
 * used go first), so an attacker cannot grow memory without bound.
 *
 * <p>Not thread-safe: owned by the core thread. Never sleeps; callers schedule the delays.
 */
public final class LoginThrottle {
    static final int FORGET_AFTER_CAPS = 10;

    private final Clock clock;
    private final long baseMs;
    private final long capMs;
    private final Map<String, Attempts> entries;

    private static final class Attempts {
        int failures;
        long blockedUntilMs;
        long lastFailureMs;
    }

    public LoginThrottle(Clock clock, Duration base, Duration cap, int maxKeys) {
        this.clock = clock;
        this.baseMs = base.toMillis();
        this.capMs = Math.max(baseMs, cap.toMillis());
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Attempts> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * How long until an attempt for this account from this address may be checked; zero if now.
     * A null account checks the address only (token resumes: a password guesser must not be able
     * to lock a user's devices out).
     */
    public Duration retryAfter(String account, String address) {
        long now = clock.millis();
        long until = Math.max(account == null ? 0 : blockedUntil("u:" + account, now), blockedUntil("a:" + address, now));
        return Duration.ofMillis(Math.max(0, until - now));
    }

    /** Records a failed attempt (a null account counts for the address only); returns how long to hold back the reply. */
    public Duration failure(String account, String address) {
        long now = clock.millis();
        long a = account == null ? 0 : fail("u:" + account, now);
        long b = fail("a:" + address, now);
        return Duration.ofMillis(Math.max(a, b));
    }

    /** A successful login clears the account's record (not the address's: one good account must not unlock others). */
    public void success(String account) {
        entries.remove("u:" + account);
    }

    int size() {
        return entries.size();
    }

    private long blockedUntil(String key, long now) {
        Attempts e = entries.get(key);
        if (e == null) {
            return 0;
        }
        if (now - e.lastFailureMs > FORGET_AFTER_CAPS * capMs) {
            entries.remove(key);
            return 0;
        }
        return e.blockedUntilMs;
    }

    private long fail(String key, long now) {
        Attempts e = entries.get(key);
        if (e == null || now - e.lastFailureMs > FORGET_AFTER_CAPS * capMs) {
            e = new Attempts();
            entries.put(key, e);
        }
        e.failures = Math.min(e.failures + 1, 62);
        long delay = e.failures > 40 ? capMs : Math.min(capMs, baseMs << (e.failures - 1));
        e.lastFailureMs = now;
        e.blockedUntilMs = Math.max(e.blockedUntilMs, now + delay);
        return delay;
    }
}
