package crumbhub.server.core;

import crumbhub.server.config.Rate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many accounts may be created (docs/security.md): a token bucket per source address and one
 * for the whole server, so neither one address nor many together can mass-register. Every
 * REGISTER attempt takes a token before any other check or password hash. At most
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

    /** Takes a token for a registration from {@code address} at {@code now}; null if admitted. */
    Refusal admit(String address, long now) {
        TokenBucket mine = addresses.computeIfAbsent(address, a -> new TokenBucket(perAddress));
        if (!mine.tryTake(now)) {
            return new Refusal(false, Duration.ofNanos(mine.nanosUntilToken(now)));
        }
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
