package crumbhub.server.core;

import crumbhub.server.config.Rate;

/**
 * A token bucket over a monotonic nanosecond clock: up to {@code count} events at once, then one
 * per {@code per / count}. Kept as the time at which the bucket would be full again (GCRA), so it
 * is two longs and never needs a timer. Not thread-safe: each bucket belongs to one thread.
 */
public final class TokenBucket {
    private final long interval;
    private final long burst;
    /** When the bucket is full again; before that it holds fewer than its capacity. */
    private long fullAt;
    /** False until the first token is taken: a fresh bucket is full whatever the clock says. */
    private boolean used;

    /** A bucket for {@code rate}, full at the start. */
    public TokenBucket(Rate rate) {
        this(rate.nanosPerToken(), rate.count());
    }

    /** A bucket of {@code capacity} tokens, one earned every {@code interval} nanoseconds. */
    public TokenBucket(long interval, long capacity) {
        if (interval < 1 || capacity < 1) {
            throw new IllegalArgumentException("interval and capacity must be positive");
        }
        this.interval = interval;
        long b;
        try {
            b = Math.multiplyExact(interval, capacity - 1);
        } catch (ArithmeticException e) {
            b = Long.MAX_VALUE / 4;
        }
        this.burst = b;
    }

    /** Takes a token at time {@code now}; false (and nothing taken) if the bucket is empty. */
    public boolean tryTake(long now) {
        long start = !used || fullAt - now < 0 ? now : fullAt;
        if (start - now > burst) {
            return false;
        }
        fullAt = start + interval;
        used = true;
        return true;
    }

    /** Nanoseconds from {@code now} until a token is available; zero if one is. */
    public long nanosUntilToken(long now) {
        return used ? Math.max(0, fullAt - now - burst) : 0;
    }

    /** True if the bucket is full at {@code now}, i.e. it remembers nothing worth keeping. */
    public boolean isFull(long now) {
        return !used || fullAt - now <= 0;
    }
}
