package crumbhub.server.core;

import crumbhub.server.config.Rate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many accounts may be created (docs/security.md): a token bucket per source address and one
 * for the whole server, so neither one address nor many together can mass-register. Every
 * REGISTER attempt takes a token of its address before any other check or password hash; only a
 * request that passed every check (mode, name, invite, password rules, free name) takes one of the
 * server's, so refused attempts cannot spend the budget of real invitees (docs/security.md). At most
 * {@code maxAddresses} address buckets are kept (least recently used go first).
 *
 * <p>Not thread-safe: owned by the core thread.
 */
final class RegistrationRates {
    /** Why a registration was refused, and for how long. */
    record Refusal(boolean global, Duration retryAfter) {}

    private final Rate perAddress;
    private final TokenBucket global;
    private final Map<String, TokenBucket> addresses;

    RegistrationRates(Rate perAddress, Rate global, int maxAddresses) {
        this.perAddress = perAddress;
        this.global = new TokenBucket(global);
        this.addresses = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    /** Takes a token from {@code address}'s bucket for any REGISTER attempt at {@code now}; null if admitted. */
    Refusal admitAddress(String address, long now) {
        TokenBucket mine = addresses.computeIfAbsent(address, a -> new TokenBucket(perAddress));
        if (!mine.tryTake(now)) {
            return new Refusal(false, Duration.ofNanos(mine.nanosUntilToken(now)));
        }
        return null;
    }

    /** Takes a token from the server-wide bucket for a registration that passed every check; null if admitted. */
    Refusal admitGlobal(long now) {
        if (!global.tryTake(now)) {
            return new Refusal(true, Duration.ofNanos(global.nanosUntilToken(now)));
        }
        return null;
    }

    /** Drops address buckets that are full again. */
    void prune(long now) {
        addresses.values().removeIf(b -> b.isFull(now));
    }
}
