package crumbhub.server.core;

import crumbhub.server.config.Rate;

/**
 * What happens to one request under a rate (docs/security.md): admitted while its token bucket
 * has tokens, refused with {@code throttled} when it is empty, and the connection closed when the
 * client keeps sending regardless. Refusals draw on a second bucket of strikes, as large as the
 * burst and refilled at half the rate: a client sending at up to 1.5 times the rate is only slowed
 * down, one that keeps sending faster runs out of strikes and is cut off. Not thread-safe.
 */
public final class RequestLimiter {
    /** The outcome for one request. */
    public enum Verdict { ADMIT, REFUSE, CLOSE }

    private final Rate rate;
    private final TokenBucket requests;
    /** Made at the first refusal: a client that keeps to the rate never needs it (one per connection). */
    private TokenBucket strikes;

    public RequestLimiter(Rate rate) {
        this.rate = rate;
        this.requests = new TokenBucket(rate);
    }

    /** The verdict for a request arriving at {@code now} (monotonic nanoseconds). */
    public Verdict check(long now) {
        if (requests.tryTake(now)) {
            return Verdict.ADMIT;
        }
        return strikes().tryTake(now) ? Verdict.REFUSE : Verdict.CLOSE;
    }

    private TokenBucket strikes() {
        if (strikes == null) {
            strikes = new TokenBucket(rate.nanosPerToken() * 2, rate.count());
        }
        return strikes;
    }

    /** A refusal that counts as a strike without a request bucket (the caller's own limit said no). */
    public Verdict strike(long now) {
        return strikes().tryTake(now) ? Verdict.REFUSE : Verdict.CLOSE;
    }

    /** True when both buckets are full: the limiter remembers nothing and may be dropped. */
    public boolean idle(long now) {
        return requests.isFull(now) && (strikes == null || strikes.isFull(now));
    }

    /** Nanoseconds until the next request would be admitted. */
    public long nanosUntilAdmitted(long now) {
        return requests.nanosUntilToken(now);
    }
}
