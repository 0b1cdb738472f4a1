package crumbhub.bench;

import java.util.Arrays;

/**
 * A fixed-size log-linear histogram of non-negative {@code long} values (the bench records
 * nanoseconds). Values below 2^(SUB_BITS+1) are counted exactly; above, each power-of-two range
 * is split into 2^SUB_BITS equal buckets, so a reported value is within 1/2^SUB_BITS (0.8 %) of
 * the recorded one. The whole {@code long} range fits in {@value #BUCKETS} counters.
 *
 * <p>{@link #record} does no allocation and no division, so it can run for every delivered
 * message. Not thread-safe: the bench keeps one histogram per event loop and merges copies
 * after each step.
 */
public final class Histogram {
    /** Sub-bucket bits: 128 buckets per power of two, so at most 1/128 relative error. */
    static final int SUB_BITS = 7;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    /** Highest index is for bit 62: shift 55, bucket 255, so (55 + 1) × 128 + 127 + 1 counters. */
    static final int BUCKETS = (63 - SUB_BITS) * SUB_COUNT + SUB_COUNT;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long max;
    private long min = Long.MAX_VALUE;
    private long sum;

    /** Counts one value; a negative value counts as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        counts[indexOf(v)]++;
        count++;
        sum += v;
        if (v > max) {
            max = v;
        }
        if (v < min) {
            min = v;
        }
    }

    static int indexOf(long v) {
        int shift = Math.max(0, 63 - Long.numberOfLeadingZeros(v) - SUB_BITS);
        return (shift << SUB_BITS) + (int) (v >>> shift);
    }

    /** The largest value that falls into bucket {@code index}. */
    static long highestInBucket(int index) {
        if (index < 2 * SUB_COUNT) {
            return index;
        }
        int shift = (index >>> SUB_BITS) - 1;
        long bucket = index - ((long) shift << SUB_BITS);
        long high = ((bucket + 1) << shift) - 1;
        return high < 0 ? Long.MAX_VALUE : high;
    }

    public long count() {
        return count;
    }

    /** The exact largest value recorded, 0 when empty. */
    public long max() {
        return max;
    }

    /** The exact smallest value recorded, 0 when empty. */
    public long min() {
        return count == 0 ? 0 : min;
    }

    /** The exact mean, 0 when empty. */
    public double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /**
     * The value below or at which {@code percent} % of the recorded values lie, as the top of its
     * bucket but never above {@link #max()}; 0 when empty.
     *
     * @param percent 0 to 100
     */
    public long percentile(double percent) {
        if (percent < 0 || percent > 100 || Double.isNaN(percent)) {
            throw new IllegalArgumentException("percent must be within 0..100, got " + percent);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, Math.max(min, highestInBucket(i)));
            }
        }
        return max;
    }

    /** Adds every value counted in {@code other}. */
    public void add(Histogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
    }

    /** A copy that shares nothing with this histogram. */
    public Histogram copy() {
        var h = new Histogram();
        h.add(this);
        return h;
    }

    /** Forgets every value. */
    public void reset() {
        Arrays.fill(counts, 0);
        count = 0;
        sum = 0;
        max = 0;
        min = Long.MAX_VALUE;
    }
}
