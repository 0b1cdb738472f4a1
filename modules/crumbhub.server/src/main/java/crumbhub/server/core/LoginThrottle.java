package crumbhub.server.core;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Growing delays after failed logins (docs/design.md §4), per source address and per account.
 *
 * <ul>
 *   <li><b>Per address:</b> after n consecutive failures from an address (IPv4, or IPv6 /64, as
 *       the caller keys it), every attempt from it is refused with {@code throttled} until
 *       {@code base · 2^(n−1)} (at most {@code cap}) has passed, and the failure's own reply is
 *       held back that long. One address guessing at one or many accounts is slowed to one guess
 *       per {@code cap}: 1,000 guesses take about 16 hours with the defaults.</li>
 *   <li><b>Per account:</b> the same doubling, but it blocks every address only once failures
 *       for the account came from {@link #SPREAD} or more different addresses (a distributed
 *       attack). Failures from one address alone never lock the real owner out from elsewhere.</li>
 *   <li><b>Known to the account:</b> an address that logged in to the account before (password or
 *       device token; the last {@link #KNOWN_KEPT} per account) and a connection whose device key
 *       is one of the account's devices are never held by the account's block: failures from
 *       elsewhere cannot lock the owner out of their own devices and places. Only their own
 *       address's failures slow them.</li>
 * </ul>
 * Keys are kept whether or not the account exists, so the throttle says nothing about existence.
 * A key is forgotten once it has been quiet for {@link #FORGET_AFTER_CAPS} caps; at most
 * {@code maxKeys} keys are remembered (least recently used go first), so an attacker cannot grow
 * memory without bound.
 *
 * <p>Not thread-safe: owned by the core thread. Never sleeps; callers schedule the delays.
 */
public final class LoginThrottle {
    static final int FORGET_AFTER_CAPS = 10;
    /** Distinct failing addresses after which an account is throttled for everyone. */
    static final int SPREAD = 3;
    /** Failing addresses remembered per account: enough to count to {@link #SPREAD}. */
    private static final int ADDRESSES_KEPT = 8;
    /** Addresses remembered per account as having logged in: home, work, phone networks. */
    static final int KNOWN_KEPT = 16;

    private final Clock clock;
    private final long baseMs;
    private final long capMs;
    private final Map<String, Attempts> entries;
    /** Password checks in progress per address; entries exist only while a hash runs. */
    private final Map<String, Integer> checking = new java.util.HashMap<>();
    /** Per account, the addresses that logged in to it (most recent last); least recently used accounts go first. */
    private final Map<String, LinkedHashSet<String>> known;

    private static final class Attempts {
        int failures;
        long blockedUntilMs;
        long lastFailureMs;
        /** Accounts only: the addresses their recent failures came from. */
        LinkedHashSet<String> addresses;
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
        this.known = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LinkedHashSet<String>> eldest) {
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
        return retryAfter(account, address, false);
    }

    /**
     * As {@link #retryAfter(String, String)}; {@code ownDevice} says the connection's device key is
     * one of the account's devices, which like an address {@link #isKnown known} to the account is
     * held only by its own address's failures.
     */
    public Duration retryAfter(String account, String address, boolean ownDevice) {
        long now = clock.millis();
        long until = blockedUntil("a:" + address, now);
        if (account != null && !ownDevice && !isKnown(account, address)) {
            Attempts e = live("u:" + account, now);
            if (e != null && e.addresses.size() >= SPREAD) {
                until = Math.max(until, e.blockedUntilMs);
            }
        }
        return Duration.ofMillis(Math.max(0, until - now));
    }

    /** Records a failed attempt (a null account counts for the address only); returns how long to hold back the reply. */
    public Duration failure(String account, String address) {
        return failure(account, address, false);
    }

    /** As {@link #failure(String, String)}; a known address or own device gets only its address's delay. */
    public Duration failure(String account, String address, boolean ownDevice) {
        long now = clock.millis();
        long delay = fail("a:" + address, now).delay;
        boolean trusted = ownDevice || (account != null && isKnown(account, address));
        if (account != null) {
            Fail f = fail("u:" + account, now);
            LinkedHashSet<String> seen = f.attempts.addresses;
            seen.remove(address);
            seen.add(address);
            if (seen.size() > ADDRESSES_KEPT) {
                seen.remove(seen.iterator().next());
            }
            if (seen.size() >= SPREAD && !trusted) {
                delay = Math.max(delay, f.delay);
            }
        }
        return Duration.ofMillis(delay);
    }

    /**
     * Whether a password check from {@code address} may start now. An address with recent
     * failures gets one check at a time: otherwise guesses sent in parallel would all be checked
     * in the moment between one block ending and the next failure being recorded. An address
     * without failures (a household behind one NAT) may check several at once. Pair every true
     * with {@link #end}.
     */
    public boolean begin(String address) {
        if (checking.containsKey(address) && live("a:" + address, clock.millis()) != null) {
            return false;
        }
        checking.merge(address, 1, Integer::sum);
        return true;
    }

    /** A password check that {@link #begin} allowed has finished. */
    public void end(String address) {
        checking.computeIfPresent(address, (k, v) -> v <= 1 ? null : v - 1);
    }

    /**
     * A successful password login clears the account's record (not the address's: one good account
     * must not unlock others) and makes the address known to the account.
     */
    public void success(String account, String address) {
        entries.remove("u:" + account);
        loggedIn(account, address);
    }

    /** A login by device token: the address becomes known to the account, nothing is cleared. */
    public void loggedIn(String account, String address) {
        LinkedHashSet<String> addresses = known.computeIfAbsent(account, a -> new LinkedHashSet<>());
        addresses.remove(address);
        addresses.add(address);
        if (addresses.size() > KNOWN_KEPT) {
            addresses.remove(addresses.iterator().next());
        }
    }

    /** Whether {@code address} logged in to {@code account} since this server started (the last {@link #KNOWN_KEPT}). */
    public boolean isKnown(String account, String address) {
        LinkedHashSet<String> addresses = known.get(account);
        return addresses != null && addresses.contains(address);
    }

    int size() {
        return entries.size();
    }

    /**
     * The total time an attacker at one address needs for {@code attempts} guesses, each made as
     * soon as the previous block ended: the schedule the defaults impose (docs/security.md).
     */
    public static Duration timeForGuesses(Duration base, Duration cap, int attempts) {
        long baseMs = base.toMillis();
        long capMs = Math.max(baseMs, cap.toMillis());
        long total = 0;
        for (int n = 1; n < attempts; n++) {
            total += delayAfter(n, baseMs, capMs);
        }
        return Duration.ofMillis(total);
    }

    private static long delayAfter(int failures, long baseMs, long capMs) {
        return failures > 40 ? capMs : Math.min(capMs, baseMs << (failures - 1));
    }

    private Attempts live(String key, long now) {
        Attempts e = entries.get(key);
        if (e != null && now - e.lastFailureMs > FORGET_AFTER_CAPS * capMs) {
            entries.remove(key);
            return null;
        }
        return e;
    }

    private long blockedUntil(String key, long now) {
        Attempts e = live(key, now);
        return e == null ? 0 : e.blockedUntilMs;
    }

    private record Fail(Attempts attempts, long delay) {}

    private Fail fail(String key, long now) {
        Attempts e = live(key, now);
        if (e == null) {
            e = new Attempts();
            if (key.startsWith("u:")) {
                e.addresses = new LinkedHashSet<>();
            }
            entries.put(key, e);
        }
        e.failures = Math.min(e.failures + 1, 62);
        long delay = delayAfter(e.failures, baseMs, capMs);
        e.lastFailureMs = now;
        e.blockedUntilMs = Math.max(e.blockedUntilMs, now + delay);
        return new Fail(e, delay);
    }
}
