package crumbhub.bench;

/**
 * An open-loop send schedule: message {@code k} (from 0) is due at
 * {@code start + k × 10^9 / perSecond} nanoseconds. The caller asks on each tick how many
 * messages are due and sends them, so a late tick sends its backlog at once and the offered
 * rate holds whatever the server does (no coordinated omission by a slowed sender). Pure: the
 * caller passes the time. Not thread-safe; each sender's pacer lives on its loop thread.
 */
public final class Pacer {
    private final long startNanos;
    private final double perSecond;
    private final long limit;
    private long taken;

    /**
     * @param perSecond messages per second, positive
     * @param limit     no more than this many messages in total (the step's share), at least 0
     */
    public Pacer(long startNanos, double perSecond, long limit) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be positive and finite, got " + perSecond);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        this.startNanos = startNanos;
        this.perSecond = perSecond;
        this.limit = limit;
    }

    /** Messages due by {@code now} in total, counting from the start, at most the limit. */
    public long dueBy(long now) {
        long elapsed = now - startNanos;
        if (elapsed < 0) {
            return 0;
        }
        // message 0 is due at the start itself
        long due = (long) Math.floor(elapsed * perSecond / 1e9) + 1;
        return Math.min(limit, due);
    }

    /**
     * How many messages to send now: those due and not yet taken, at most {@code maxBurst};
     * they count as taken.
     */
    public int take(long now, int maxBurst) {
        long n = Math.min(maxBurst, dueBy(now) - taken);
        if (n <= 0) {
            return 0;
        }
        taken += n;
        return (int) n;
    }

    /** Gives back messages taken but not sent (the connection refused them), to retry later. */
    public void giveBack(int n) {
        taken -= n;
    }

    public long taken() {
        return taken;
    }

    /** Whether every message up to the limit has been taken. */
    public boolean done() {
        return taken >= limit;
    }

    /** When the next message not yet taken is due, in the caller's nanosecond time. */
    public long nextDueNanos() {
        return startNanos + (long) Math.ceil(taken * 1e9 / perSecond);
    }
}
