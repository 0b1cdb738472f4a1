package crumbhub.server.store;

import java.util.List;
import java.util.Objects;

/**
 * A point-in-time view of the store for metrics and benchmarks. Counters count since
 * {@code open}. Cheap to take (no I/O); safe from any thread.
 *
 * @param bytesOnDisk       size of the store's segments and snapshots
 * @param segments          number of segment files
 * @param firstSeq          sequence number of the first record in the oldest segment kept
 * @param nextSeq           sequence number the next durable record will get (records ever written)
 * @param queuedBytes       record bytes accepted but not yet durable or failed
 * @param appends           appends accepted into the queue
 * @param rejected          appends refused up front (busy, too large, closed)
 * @param failed            accepted appends that failed to become durable (I/O errors)
 * @param batches           group commits: one or more writes followed by one force
 * @param bytesWritten      record bytes written to segments
 * @param lastFsyncNanos    duration of the latest force of the log, or 0 before the first one
 * @param fsyncNanos        distribution of force durations of the log, in nanoseconds
 * @param batchRecords      distribution of records made durable per force
 * @param snapshots         snapshots written
 * @param snapshotFailures  snapshots that failed to be written
 * @param lastSnapshotSeq   sequence number of the latest snapshot, or -1 if none
 * @param compactedSegments segments deleted by compaction
 */
public record StoreStats(
        long bytesOnDisk,
        int segments,
        long firstSeq,
        long nextSeq,
        long queuedBytes,
        long appends,
        long rejected,
        long failed,
        long batches,
        long bytesWritten,
        long lastFsyncNanos,
        Histogram fsyncNanos,
        Histogram batchRecords,
        long snapshots,
        long snapshotFailures,
        long lastSnapshotSeq,
        long compactedSegments) {

    public StoreStats {
        Objects.requireNonNull(fsyncNanos, "fsyncNanos");
        Objects.requireNonNull(batchRecords, "batchRecords");
    }

    /** Records held in the kept segments. */
    public long records() {
        return nextSeq - firstSeq;
    }

    /** Forces of the log (one per batch, plus one per segment rolled mid-batch). */
    public long fsyncs() {
        return fsyncNanos.count();
    }

    /**
     * A histogram in the Prometheus shape: cumulative counts per upper bound, the last bound
     * being {@link Long#MAX_VALUE} (+Inf).
     */
    public record Histogram(List<Bucket> buckets, long count, long sum) {

        /** {@code cumulativeCount} observations were at most {@code upperBound}. */
        public record Bucket(long upperBound, long cumulativeCount) {
        }

        public Histogram {
            buckets = List.copyOf(buckets);
        }

        /**
         * The upper bound of the bucket holding quantile {@code q} (0 &lt; q ≤ 1): an upper
         * estimate with the buckets' resolution. 0 when empty; {@link Long#MAX_VALUE} if the
         * quantile falls past the last finite bound.
         */
        public long quantile(double q) {
            if (q <= 0 || q > 1) {
                throw new IllegalArgumentException("quantile must be in (0, 1]: " + q);
            }
            if (count == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(q * count);
            for (Bucket bucket : buckets) {
                if (bucket.cumulativeCount() >= rank) {
                    return bucket.upperBound();
                }
            }
            return Long.MAX_VALUE;
        }

        public double mean() {
            return count == 0 ? 0 : (double) sum / count;
        }
    }
}
