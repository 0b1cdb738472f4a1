package crumbhub.crypto.e2ee;

import crumbhub.crypto.Bytes;

import java.util.Iterator;
import java.util.Map;

/**
 * When each skipped message key was made, for dropping keys by age (docs/crypto.md, "Skipped
 * keys"). The module reads no clock: callers pass their time into {@code decrypt}, which stamps the
 * keys it skips, and ask for {@link #expire} with their time. A key from before stamps existed
 * (serialization version 1) or made without a time is {@link #UNSTAMPED}; the first expiry gives
 * it the caller's time, so it lives one full age from then.
 */
public final class SkippedKeyAges {
    /** The stamp of a key whose age is not known. */
    public static final long UNSTAMPED = -1;

    private SkippedKeyAges() {}

    /**
     * Drops (and zeroes) every key of {@code keys} stamped more than {@code maxAgeMs} before
     * {@code nowMs}; stamps unstamped keys with {@code nowMs}. {@code stamps} has the same keys.
     *
     * @return how many keys were dropped
     */
    public static <K> int expire(Map<K, byte[]> keys, Map<K, Long> stamps, long nowMs, long maxAgeMs) {
        int dropped = 0;
        Iterator<Map.Entry<K, byte[]>> it = keys.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<K, byte[]> e = it.next();
            long at = stamps.getOrDefault(e.getKey(), UNSTAMPED);
            if (at == UNSTAMPED) {
                stamps.put(e.getKey(), nowMs);
            } else if (nowMs - at > maxAgeMs) {
                Bytes.zero(e.getValue());
                it.remove();
                stamps.remove(e.getKey());
                dropped++;
            }
        }
        return dropped;
    }

    /** The oldest stamp among {@code stamps}, {@link #UNSTAMPED} if a key has none, {@code Long.MAX_VALUE} if there are no keys. */
    public static <K> long oldest(Map<K, byte[]> keys, Map<K, Long> stamps) {
        long oldest = Long.MAX_VALUE;
        for (K k : keys.keySet()) {
            long at = stamps.getOrDefault(k, UNSTAMPED);
            if (at == UNSTAMPED) {
                return UNSTAMPED;
            }
            oldest = Math.min(oldest, at);
        }
        return oldest;
    }
}
