package crumbhub.client.chat;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from {@code min} to {@code max}, with jitter so that many clients
 * cut off by one server restart do not all come back in the same second. After the n-th failure
 * in a row the delay is uniform in [base/2, base] with base = min(max, min * 2^(n-1)), and never
 * below {@code min}. Pure; the random source is passed in.
 */
public final class Backoff {
    private final Duration min;
    private final Duration max;
    private final RandomGenerator random;

    public Backoff(Duration min, Duration max, RandomGenerator random) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max");
        }
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /** The pause after {@code failures} (at least 1) failed attempts in a row. */
    public Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1");
        }
        long maxMs = max.toMillis();
        long base = min.toMillis();
        for (int i = 1; i < failures && base < maxMs; i++) {
            base *= 2;
        }
        base = Math.min(base, maxMs);
        long half = base / 2;
        long ms = half + (base - half == 0 ? 0 : random.nextLong(base - half + 1));
        return Duration.ofMillis(Math.max(min.toMillis(), ms));
    }
}
